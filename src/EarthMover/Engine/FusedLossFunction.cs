namespace EarthMover.Kernels;

/// <summary>
/// Puts a <see cref="FusedLoss"/> into the autograd graph. The forward pass computes the gradient along
/// with the loss (it costs little more once the softmax and CDFs are at hand), saves it, and the backward
/// pass only scales it by the incoming gradient. When a graph of the backward pass is being built
/// (<c>create_graph: true</c>, for second derivatives such as Hessian-vector products), the saved gradient,
/// a plain tensor, cannot carry one, so the backward pass recomputes the gradient with autograd through the
/// tensor-operation form of the same loss on the same input. The saved gradient itself is the answer of the usual
/// <c>loss.backward()</c>; once handed out it is the receiver's (see <see cref="SavedGradient"/>).
/// </summary>
internal sealed class FusedLossFunction : autograd.SingleTensorFunction<FusedLossFunction>
{
    /// <summary>
    /// Leaves of at least this many elements get the loss through a view (see <see cref="Apply"/>). The view and its
    /// backward node cost some microseconds per call, the copy they save grows with the tensor: below about this size
    /// (where the kernels also start to split the rows over threads) the view costs more than the copy. Other inputs
    /// are some operation's output, whose backward reads the gradient without copying it.
    /// </summary>
    private const long LeafViewElements = 32768;

    private const string PerSampleKey = "per-sample";
    private const string StateKey = "state";

    /// <inheritdoc />
    public override string Name => "EarthMoverFusedLoss";

    /// <summary>The loss of <paramref name="input"/>, differentiable when autograd needs it.</summary>
    /// <param name="input">The contiguous input the kernel reads.</param>
    /// <param name="loss">The fused loss.</param>
    /// <param name="reference">
    /// The caller's input (of which <paramref name="input"/> is the same tensor or a contiguous copy) and the same
    /// loss of it by tensor operations, for second derivatives.
    /// </param>
    public static Tensor Apply(Tensor input, FusedLoss loss, Reference reference)
    {
        if (input.requires_grad && torch.is_grad_enabled())
        {
            if (input.is_leaf && input.numel() >= LeafViewElements)
            {
                // Applied to a view of a leaf, so that the backward pass gives the leaf's AccumulateGrad a fresh view of
                // the gradient instead of the saved tensor itself: it keeps a gradient as .grad only where nothing else
                // refers to it, and the saved variable and its managed handle refer to the saved tensor, so it would
                // copy it (1.6 MB per call at 4096 x 100 float32, with the page faults of a fresh allocation).
                using var view = input.view(input.shape);
                return apply(view, loss, reference);
            }
            return apply(input, loss, reference);
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
        ctx.save_data(StateKey, new SavedGradient(loss, (Reference)vars[2]));
        return value;
    }

    /// <inheritdoc />
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var state = (SavedGradient)ctx.get_data(StateKey);
        if (torch.is_grad_enabled())
        {
            // Grad mode is on inside backward only under create_graph: the gradient must carry a graph.
            using var scope = torch.NewDisposeScope();
            var value = state.Reference.Loss();
            var differentiable = torch.autograd.grad([value], [state.Reference.Input], [grad_output], retain_graph: true, create_graph: true)[0];
            return [differentiable.MoveToOuterDisposeScope(), null!, null!];
        }
        var grad = state.HandedOut ? state.Recompute() : ctx.get_saved_variables()[0];
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
            state.HandedOut = true;
        }
        else
        {
            result = grad.mul(grad_output);
        }
        return [result, null!, null!];
    }

    /// <summary>
    /// What a backward pass needs besides the saved gradient. The gradient, once returned as it is, belongs to its
    /// receiver: a view of it can become a leaf's <c>.grad</c> (autograd takes such a view instead of copying), into
    /// which later passes accumulate in place, and <c>torch.autograd.grad</c> hands it to the caller, who may change
    /// it. A later pass through a kept graph (<c>retain_graph</c>) therefore computes the gradient again, with the same
    /// kernel on the same input, instead of reading a tensor that may have changed (reading it would also fail
    /// autograd's version check, an exception that ends the process when thrown inside a backward pass).
    /// </summary>
    private sealed class SavedGradient(FusedLoss loss, Reference reference)
    {
        public Reference Reference { get; } = reference;

        /// <summary>Whether the saved gradient went out as the result of a backward pass.</summary>
        public bool HandedOut { get; set; }

        public Tensor Recompute()
        {
            using var scope = torch.NewDisposeScope();
            var input = Reference.Input.detach();
            var (value, grad) = loss.Run(input.is_contiguous() ? input : input.contiguous(), needGrad: true);
            value.Dispose();
            return grad!.MoveToOuterDisposeScope();
        }
    }

    /// <summary>The caller's input and the tensor-operation form of the call on it, for second derivatives.</summary>
    /// <param name="Input">The caller's input tensor.</param>
    /// <param name="Loss">Computes the reduced loss of <paramref name="Input"/> with tensor operations.</param>
    internal sealed record Reference(Tensor Input, Func<Tensor> Loss);
}
