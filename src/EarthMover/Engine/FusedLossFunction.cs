namespace EarthMover.Kernels;

/// <summary>
/// Puts a <see cref="FusedLoss"/> into the autograd graph. The forward pass computes the gradient along
/// with the loss (it costs little more once the softmax and CDFs are at hand), saves it, and the backward
/// pass only scales it by the incoming gradient. When a graph of the backward pass is being built
/// (<c>create_graph: true</c>, for second derivatives such as Hessian-vector products), the saved gradient,
/// a plain tensor, cannot carry one, so the backward pass recomputes the gradient with autograd through the
/// tensor-operation form of the same loss on the same input.
/// </summary>
internal sealed class FusedLossFunction : autograd.SingleTensorFunction<FusedLossFunction>
{
    private const string PerSampleKey = "per-sample";
    private const string ReferenceKey = "reference";

    /// <inheritdoc />
    public override string Name => "EarthMoverFusedLoss";

    /// <summary>The loss of <paramref name="input"/>, differentiable when autograd needs it.</summary>
    /// <param name="input">The contiguous input the kernel reads.</param>
    /// <param name="loss">The fused loss.</param>
    /// <param name="reference">
    /// The same loss by tensor operations, for second derivatives: its input (the caller's, of which
    /// <paramref name="input"/> is the same tensor or a contiguous copy) and a function computing the reduced
    /// loss of it; null where no second derivative will be asked for (tests, benchmarks).
    /// </param>
    public static Tensor Apply(Tensor input, FusedLoss loss, Reference? reference = null)
    {
        if (input.requires_grad && torch.is_grad_enabled())
        {
            return apply(input, loss, reference!);
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
        if (vars.Length > 2 && vars[2] is Reference reference)
        {
            ctx.save_data(ReferenceKey, reference);
        }
        return value;
    }

    /// <inheritdoc />
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        if (torch.is_grad_enabled() && ctx.get_data(ReferenceKey) is Reference reference)
        {
            // Grad mode is on inside backward only under create_graph: the gradient must carry a graph.
            using var scope = torch.NewDisposeScope();
            var value = reference.Loss();
            var differentiable = torch.autograd.grad([value], [reference.Input], [grad_output], retain_graph: true, create_graph: true)[0];
            return [differentiable.MoveToOuterDisposeScope(), null!, null!];
        }
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
        return [result, null!, null!];
    }

    /// <summary>The tensor-operation form of a call, for second derivatives.</summary>
    /// <param name="Input">The caller's input tensor.</param>
    /// <param name="Loss">Computes the reduced loss of <paramref name="Input"/> with tensor operations.</param>
    internal sealed record Reference(Tensor Input, Func<Tensor> Loss);
}
