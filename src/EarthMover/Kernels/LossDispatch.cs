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
        if (cpuFloat && backend != LossBackend.TensorOps)
        {
            var contiguous = input.is_contiguous() ? input : input.contiguous();
            FusedLoss loss = input.dtype == ScalarType.Float32
                ? new FusedLoss<float>(floatKernel(), target, weight, reduction, logits)
                : new FusedLoss<double>(doubleKernel(), target, weight, reduction, logits);
            return FusedLossFunction.Apply(contiguous, loss);
        }
        TensorOpsLosses.CheckValues(input, target, weight, logits);
        using var scope = torch.NewDisposeScope();
        var rows = tensorOpsRows(logits);
        return TensorOpsLosses.Reduce(rows, weight, reduction).MoveToOuterDisposeScope();
    }
}
