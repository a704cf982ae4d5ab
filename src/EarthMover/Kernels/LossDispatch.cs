using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Kernels;

/// <summary>Sends one loss call to the fused CPU kernel or to the tensor-operation form.</summary>
internal static class LossDispatch
{
    /// <param name="input">N x C logits or probabilities (shape already checked).</param>
    /// <param name="target">Class indices or distributions (shape already checked).</param>
    /// <param name="sampleWeight">Per-sample weights (N), or null.</param>
    /// <param name="reduction">Mean, Sum or None.</param>
    /// <param name="inputType">What <paramref name="input"/> holds.</param>
    /// <param name="backend">Which implementation (Auto outside the tests).</param>
    /// <param name="floatKernel">The fused kernel for float32.</param>
    /// <param name="doubleKernel">The fused kernel for float64.</param>
    /// <param name="tensorOpsRows">The per-row losses as tensor operations, given whether the input holds logits.</param>
    /// <param name="classWeight">Per-class weights (C), or null; only with class-index targets (checked by the caller).</param>
    public static Tensor Run(
        Tensor input,
        Tensor target,
        Tensor? sampleWeight,
        nn.Reduction reduction,
        EmdInput inputType,
        LossBackend backend,
        Func<ITileKernel<float>> floatKernel,
        Func<ITileKernel<double>> doubleKernel,
        Func<bool, Tensor> tensorOpsRows,
        Tensor? classWeight = null)
    {
        if (!Enum.IsDefined(reduction))
        {
            throw new ArgumentException($"reduction = {reduction} is not a Reduction value.", nameof(reduction));
        }
        if (!Enum.IsDefined(inputType))
        {
            throw new ArgumentException($"input_type = {inputType} is not an EmdInput value.", "input_type");
        }
        long rows = input.size(0);
        Check.MeanOfEmptyBatch(input, reduction);
        bool logits = inputType == EmdInput.Logits;
        bool cpuFloat = input.device_type == DeviceType.CPU && (input.dtype == ScalarType.Float32 || input.dtype == ScalarType.Float64);
        if (backend == LossBackend.Fused && !cpuFloat)
        {
            throw new ArgumentException($"the fused kernel needs a float32 or float64 CPU tensor; input is {input.dtype} on {input.device}.", nameof(input));
        }
        // The fused kernel differentiates with respect to the input alone: a target or weight that needs a gradient
        // of its own goes to the tensor operations, and so does an empty batch (nothing to fuse).
        bool otherGradients = torch.is_grad_enabled()
            && (target.requires_grad || sampleWeight?.requires_grad == true || classWeight?.requires_grad == true);
        // Where no vector is accelerated, the tensor operations are faster on large batches (KernelWidths).
        bool fused = backend == LossBackend.Fused || (backend == LossBackend.Auto && KernelWidths.FusedIsFaster(input.numel()));
        if (cpuFloat && fused && rows > 0 && !otherGradients)
        {
            int classes = checked((int)input.size(1));
            var combined = LossWeights.Combine(target, classWeight, sampleWeight, classes, reduction);
            using var weights = combined is null ? null : torch.tensor(combined, dtype: ScalarType.Float64);
            var contiguous = input.is_contiguous() ? input : input.contiguous();
            var loss = input.dtype == ScalarType.Float32
                ? Fused(floatKernel(), target, weights, reduction, logits, FusedOptions.Default)
                : Fused(doubleKernel(), target, weights, reduction, logits, FusedOptions.Default);
            // Under create_graph the backward pass differentiates this tensor-operation form of the same loss.
            var reference = new FusedLossFunction.Reference(input, () =>
            {
                var perRow = tensorOpsRows(logits);
                return TensorOpsLosses.Reduce(perRow, TensorOpsLosses.Weights(target, classWeight, sampleWeight, perRow.dtype), reduction);
            });
            return FusedLossFunction.Apply(contiguous, loss, reference);
        }
        TensorOpsLosses.CheckValues(input, target, sampleWeight, classWeight, logits, reduction);
        using var scope = torch.NewDisposeScope();
        var perRow = tensorOpsRows(logits);
        var perSample = TensorOpsLosses.Weights(target, classWeight, sampleWeight, perRow.dtype);
        return TensorOpsLosses.Reduce(perRow, perSample, reduction).MoveToOuterDisposeScope();
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
