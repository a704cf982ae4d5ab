using System.Runtime.Intrinsics;

namespace EarthMover.Kernels;

/// <summary>
/// The vector width the fused kernels run at in this process, chosen once from what the processor
/// accelerates: 256 bits where it does (x64 with AVX2), 128 bits where only that is (ARM64, x64 without
/// AVX), and none where no vector is accelerated (<c>DOTNET_EnableHWIntrinsic=0</c>, or a processor .NET has
/// no vector support for): there the tensor-operation form, which libtorch vectorises natively, is faster
/// than any managed loop, and the losses use it.
/// </summary>
internal enum KernelWidth
{
    /// <summary>No accelerated vectors: the losses use the tensor-operation form.</summary>
    None,

    /// <summary>128-bit vectors, in pairs (<see cref="Simd128x2{T}"/>).</summary>
    Simd128x2,

    /// <summary>256-bit vectors (<see cref="Simd256{T}"/>).</summary>
    Simd256,
}

/// <summary>The process's <see cref="KernelWidth"/>.</summary>
internal static class KernelWidths
{
    /// <summary>The widest accelerated width, up to 256 bits (wider vectors would leave tiles of 16 rows half empty in small batches).</summary>
    public static KernelWidth Accelerated { get; } =
        Vector256.IsHardwareAccelerated ? KernelWidth.Simd256
        : Vector128.IsHardwareAccelerated ? KernelWidth.Simd128x2
        : KernelWidth.None;

    /// <summary>The width a fused kernel runs at when one is asked for explicitly: software 128-bit vectors where none is accelerated.</summary>
    public static KernelWidth Fused { get; } = Accelerated == KernelWidth.None ? KernelWidth.Simd128x2 : Accelerated;
}
