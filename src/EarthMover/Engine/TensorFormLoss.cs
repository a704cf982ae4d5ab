using EarthMover.Kernels;

namespace EarthMover.Engine;

/// <summary>
/// A loss's first-order tensor form run as a <see cref="FusedLoss"/>: the value and the gradient are computed
/// at once on a detached copy of the input, so that <see cref="FusedLossFunction"/> can carry them and switch to
/// the exact second-order form only under <c>create_graph</c>.
/// </summary>
internal sealed class TensorFormLoss : FusedLoss
{
    private readonly LossDefinition _loss;
    private readonly Tensor? _classWeight;
    private readonly Tensor? _sampleWeight;

    public TensorFormLoss(LossDefinition loss, Tensor target, Tensor? classWeight, Tensor? sampleWeight, nn.Reduction reduction, bool logits)
        : base(target, null, reduction, logits)
    {
        _loss = loss;
        _classWeight = classWeight;
        _sampleWeight = sampleWeight;
    }

    public override (Tensor Loss, Tensor? Grad) Run(Tensor input, bool needGrad)
    {
        using var scope = torch.NewDisposeScope();
        using var enable = torch.enable_grad(needGrad);
        var x = input.detach().requires_grad_(needGrad);
        var value = LossEngine.Reduced(_loss.TensorRows, x, Target, _classWeight, _sampleWeight, Reduction, Logits, _loss);
        Tensor? grad = null;
        if (needGrad)
        {
            // Rows are independent: the gradient of their sum holds each row's gradient (the per-sample case).
            grad = torch.autograd.grad([value.sum()], [x])[0].MoveToOuterDisposeScope();
        }
        return (value.detach().MoveToOuterDisposeScope(), grad);
    }
}
