using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Kernels;

/// <summary>
/// Puts a <see cref="FusedLoss"/> into the autograd graph. The forward pass computes the gradient along
/// with the loss (it costs little more once the softmax and CDFs are at hand), saves it, and the backward
/// pass only scales it by the incoming gradient.
/// </summary>
internal sealed class FusedLossFunction : autograd.SingleTensorFunction<FusedLossFunction>
{
    private const string PerSampleKey = "per-sample";

    /// <inheritdoc />
    public override string Name => "EarthMoverFusedLoss";

    /// <summary>The loss of <paramref name="input"/>, differentiable when autograd needs it.</summary>
    public static Tensor Apply(Tensor input, FusedLoss loss)
    {
        if (input.requires_grad && torch.is_grad_enabled())
        {
            return apply(input, loss);
        }
        return loss.Run(input, needGrad: false).Loss;
    }

    /// <inheritdoc />
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var input = (Tensor)vars[0];
        var loss = (FusedLoss)vars[1];
        var (value, grad) = loss.Run(input, needGrad: true);
        // A saved variable holds its own reference to the gradient, so that it outlives any dispose scope the
        // forward call ran in (a training loop may free its temporaries before calling backward).
        ctx.save_for_backward([grad!]);
        ctx.save_data(PerSampleKey, loss.Reduction == nn.Reduction.None);
        return value;
    }

    /// <inheritdoc />
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var grad = ctx.get_saved_variables()[0];
        bool perSample = (bool)ctx.get_data(PerSampleKey);
        Tensor result;
        if (perSample)
        {
            result = grad.mul(grad_output.unsqueeze(1));
        }
        else if (grad_output.device_type == DeviceType.CPU && grad_output.ToDouble() == 1.0)
        {
            // The usual case, loss.backward(): the saved gradient is the answer, no multiply needed.
            result = grad;
        }
        else
        {
            result = grad.mul(grad_output);
        }
        return [result, null!];
    }
}
