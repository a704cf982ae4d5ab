using EarthMover.Kernels;
using EarthMover.Kernels.Transport;

namespace EarthMover;

/// <summary>The entropic EMD (docs/math.md §11): log-domain Sinkhorn iterations, row by row on the CPU, in tensor operations elsewhere.</summary>
internal sealed class SinkhornDefinition : DistanceDefinition
{
    private readonly double _epsilon;
    private readonly SinkhornQuantity _quantity;
    private readonly int _maxIter;
    private readonly double? _tol;

    public SinkhornDefinition(GroundDistance distance, double epsilon, SinkhornQuantity? quantity, int? maxIter, double? tol)
        : base(distance)
    {
        _epsilon = epsilon;
        _quantity = quantity ?? LossDefaults.Sinkhorn;
        _maxIter = maxIter ?? LossDefaults.SinkhornMaxIterations;
        _tol = tol;
        Sinkhorn.CheckOptions(_epsilon, _quantity, _maxIter, _tol);
    }

    public override string Name => "sinkhorn_loss";

    public override bool DifferentiatesTarget => false;

    public override Tensor TensorRows(Tensor input, Tensor target, bool logits) =>
        Sinkhorn.Rows(input, target, Distance, _epsilon, _quantity, _maxIter, _tol, logits);

    /// <summary>First derivatives come from the detached potentials; the exact Hessian costs a factorisation per row, paid only under create_graph.</summary>
    public override bool HasSecondOrderForm => true;

    public override Tensor SecondOrderRows(Tensor input, Tensor target, bool logits) =>
        Sinkhorn.Rows(input, target, Distance, _epsilon, _quantity, _maxIter, _tol, logits, twiceDifferentiable: true);
}
