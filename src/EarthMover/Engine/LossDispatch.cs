namespace EarthMover.Kernels;

/// <summary>The fused tile loss at a vector width (<see cref="KernelWidths"/>): the engine's and the benchmarks' way to a <see cref="FusedLoss{T, TV}"/>.</summary>
internal static class LossDispatch
{
    /// <summary>The fused loss at the process's vector width (<see cref="KernelWidths.Current"/>).</summary>
    public static FusedLoss Fused<T>(ITileKernel<T> kernel, Tensor target, Tensor? weight, nn.Reduction reduction, bool logits, FusedOptions options)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Fused(KernelWidths.Current, kernel, target, weight, reduction, logits, options);

    /// <summary>The fused loss at a given vector width (tests and benchmarks run every width).</summary>
    public static FusedLoss Fused<T>(KernelWidth width, ITileKernel<T> kernel, Tensor target, Tensor? weight, nn.Reduction reduction, bool logits, FusedOptions options)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        width switch
        {
            KernelWidth.Simd256 => new FusedLoss<T, Simd256<T>>(kernel, target, weight, reduction, logits, options),
            KernelWidth.Simd128x2 => new FusedLoss<T, Simd128x2<T>>(kernel, target, weight, reduction, logits, options),
            KernelWidth.Scalar => new FusedLoss<T, SimdScalar<T>>(kernel, target, weight, reduction, logits, options),
            _ => throw new ArgumentOutOfRangeException(nameof(width), width, "not a kernel width."),
        };
}
