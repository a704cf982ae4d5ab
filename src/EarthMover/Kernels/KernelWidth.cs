using System.Runtime.Intrinsics;

namespace EarthMover.Kernels;

/// <summary>The vector widths the fused kernels run at (the kernels are generic over <see cref="ISimd{TSelf, T}"/>).</summary>
internal enum KernelWidth
{
    /// <summary>One lane, scalar arithmetic (<see cref="SimdScalar{T}"/>).</summary>
    Scalar,

    /// <summary>128-bit vectors, in pairs (<see cref="Simd128x2{T}"/>).</summary>
    Simd128x2,

    /// <summary>256-bit vectors (<see cref="Simd256{T}"/>).</summary>
    Simd256,
}

/// <summary>
/// The width the fused kernels run at in this process, chosen once from what the processor accelerates:
/// 256 bits where it does (x64 with AVX2), 128 bits where only that is (ARM64, x64 without AVX), and scalar
/// arithmetic where no vector is accelerated (<c>DOTNET_EnableHWIntrinsic=0</c>, or a processor .NET has no
/// vector support for), which still beats the tensor-operation form there (measured in HardwareBenchmarks).
/// Not wider than 256 bits: tiles of 16 rows would be half empty in small batches.
/// </summary>
internal static class KernelWidths
{
    /// <summary>This process's width.</summary>
    public static KernelWidth Current { get; } =
        Vector256.IsHardwareAccelerated ? KernelWidth.Simd256
        : Vector128.IsHardwareAccelerated ? KernelWidth.Simd128x2
        : KernelWidth.Scalar;
}
