using EarthMover.Kernels;
using EarthMover.Kernels.Rows;

namespace EarthMover;

/// <summary>W_p on the line (docs/math.md §13): a row kernel merging the two CDFs.</summary>
internal sealed class Wasserstein1dDefinition : LossDefinition
{
    private readonly double _p;
    private readonly bool _root;
    private readonly IReadOnlyList<double>? _positions;
    private double[] _x = [];

    public Wasserstein1dDefinition(double? p, bool? root, IReadOnlyList<double>? positions)
    {
        _p = Check.Power(p ?? LossDefaults.P);
        _root = root ?? LossDefaults.Root;
        _positions = positions;
    }

    public override string Name => "wasserstein_1d_loss";

    public override bool DifferentiatesTarget => false;

    public override FusedKind Fused => FusedKind.Row;

    public override void CheckClasses(int classes)
    {
        Check.Gaps(_positions, classes);
        _x = _positions?.ToArray() ?? Enumerable.Range(0, classes).Select(i => (double)i).ToArray();
    }

    public override IRowKernel RowKernel(int classes) => new LineWassersteinKernel(_x, _p, _root);

    /// <summary>W_p^p is piecewise linear in the prediction (<see cref="TangentForm"/>); the root is taken on top, by autograd.</summary>
    public override Tensor TensorRows(Tensor input, Tensor target, bool logits)
    {
        var rows = TangentForm.Rows(new LineWassersteinKernel(_x, _p, root: false), input, target, logits);
        return _root && _p != 1 ? TensorOpsLosses.Root(rows, _p) : rows;
    }
}
