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
/// vector support for). Not wider than 256 bits: tiles of 16 rows would be half empty in small batches.
/// </summary>
internal static class KernelWidths
{
    /// <summary>
    /// Up to this many elements the scalar kernel beats the tensor-operation form, whose few dozen libtorch
    /// calls cost 150-250 µs whatever the size; above it libtorch's own vectorised loops win (HardwareBenchmarks
    /// under DOTNET_EnableHWIntrinsic=0: the scalar kernel at 0.7x cross-entropy for 256 x 8, where the tensor
    /// operations take 2-3x; both about 4-5x at 256 x 1000).
    /// </summary>
    public const long ScalarLimit = 16384;

    /// <summary>This process's width.</summary>
    public static KernelWidth Current { get; } =
        Vector256.IsHardwareAccelerated ? KernelWidth.Simd256
        : Vector128.IsHardwareAccelerated ? KernelWidth.Simd128x2
        : KernelWidth.Scalar;

    /// <summary>Whether the fused kernel is the faster form for a batch of <paramref name="elements"/> here: always with vectors.</summary>
    public static bool FusedIsFaster(long elements) => Current != KernelWidth.Scalar || elements <= ScalarLimit;
}
