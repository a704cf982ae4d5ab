using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Kernels.Rows;

/// <summary>
/// Runs a row kernel on the CPU. Float32 and float64 CPU tensors are read in place; any other tensor (another
/// device, half precision) is copied to the CPU as float64, and the loss copied back to its device and type;
/// autograd carries the gradient back the same way. Checks the enumerations first.
/// </summary>
internal static class RowDispatch
{
    public static Tensor Run(Tensor input, Tensor target, Tensor? sampleWeight, nn.Reduction reduction, EmdInput inputType, IRowKernel kernel)
    {
        if (!Enum.IsDefined(reduction))
        {
            throw new ArgumentException($"reduction = {reduction} is not a Reduction value.", nameof(reduction));
        }
        if (!Enum.IsDefined(inputType))
        {
            throw new ArgumentException($"input_type = {inputType} is not an EmdInput value.", "input_type");
        }
        Check.MeanOfEmptyBatch(input, reduction);
        bool logits = inputType == EmdInput.Logits;
        if (input.device_type == DeviceType.CPU && (input.dtype == ScalarType.Float32 || input.dtype == ScalarType.Float64))
        {
            var contiguous = input.is_contiguous() ? input : input.contiguous();
            FusedLoss loss = input.dtype == ScalarType.Float32
                ? new RowLoss<float>(kernel, target, sampleWeight, reduction, logits)
                : new RowLoss<double>(kernel, target, sampleWeight, reduction, logits);
            return FusedLossFunction.Apply(contiguous, loss);
        }
        using var scope = torch.NewDisposeScope();
        var cpuInput = input.to(ScalarType.Float64, torch.CPU).contiguous();
        var cpuTarget = target.to(torch.CPU);
        var cpuWeight = sampleWeight?.to(torch.CPU);
        var value = FusedLossFunction.Apply(cpuInput, new RowLoss<double>(kernel, cpuTarget, cpuWeight, reduction, logits));
        return value.to(input.dtype, input.device).MoveToOuterDisposeScope();
    }
}
