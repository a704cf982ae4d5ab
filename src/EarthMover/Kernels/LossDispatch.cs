using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Kernels;

/// <summary>Sends one loss call to the fused CPU kernel or to the tensor-operation form.</summary>
internal static class LossDispatch
{
    public static Tensor Run(
        Tensor input,
        Tensor target,
        Tensor? weight,
        nn.Reduction reduction,
        EmdInput inputType,
        LossBackend backend,
        Func<ITileKernel<float>> floatKernel,
        Func<ITileKernel<double>> doubleKernel,
        Func<bool, Tensor> tensorOpsRows)
    {
        if (!Enum.IsDefined(reduction))
        {
            throw new ArgumentException($"reduction = {reduction} is not a Reduction value.", nameof(reduction));
        }
        if (!Enum.IsDefined(inputType))
        {
            throw new ArgumentException($"input_type = {inputType} is not an EmdInput value.", "input_type");
        }
        bool logits = inputType == EmdInput.Logits;
        bool cpuFloat = input.device_type == DeviceType.CPU && (input.dtype == ScalarType.Float32 || input.dtype == ScalarType.Float64);
        if (backend == LossBackend.Fused && !cpuFloat)
        {
            throw new ArgumentException($"the fused kernel needs a float32 or float64 CPU tensor; input is {input.dtype} on {input.device}.", nameof(input));
        }
        if (cpuFloat && (backend == LossBackend.Fused || (backend == LossBackend.Auto && KernelWidths.FusedIsFaster(input.numel()))))
        {
            var contiguous = input.is_contiguous() ? input : input.contiguous();
            var loss = input.dtype == ScalarType.Float32
                ? Fused(floatKernel(), target, weight, reduction, logits, FusedOptions.Default)
                : Fused(doubleKernel(), target, weight, reduction, logits, FusedOptions.Default);
            var reference = new FusedLossFunction.Reference(input, () => TensorOpsLosses.Reduce(tensorOpsRows(logits), weight, reduction));
            return FusedLossFunction.Apply(contiguous, loss, reference);
        }
        TensorOpsLosses.CheckValues(input, target, weight, logits);
        using var scope = torch.NewDisposeScope();
        var rows = tensorOpsRows(logits);
        return TensorOpsLosses.Reduce(rows, weight, reduction).MoveToOuterDisposeScope();
    }

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
