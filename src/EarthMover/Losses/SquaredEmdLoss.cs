using System.Numerics;
using EarthMover.Kernels;

namespace EarthMover;

/// <summary>The squared EMD for ordered classes (docs/math.md §2): a tile kernel over the CDF differences.</summary>
internal sealed class SquaredEmdDefinition : LossDefinition
{
    private readonly double _p;
    private readonly bool _root;
    private readonly IReadOnlyList<double>? _positions;
    private readonly EmdNormalization _normalization;
    private double[] _gaps = [];
    private double _scale;

    public SquaredEmdDefinition(double? p, bool? root, IReadOnlyList<double>? positions, EmdNormalization? normalization)
    {
        _p = Check.Power(p ?? LossDefaults.P);
        _root = root ?? LossDefaults.Root;
        _positions = positions;
        _normalization = Check.Normalization(normalization ?? LossDefaults.Normalization);
    }

    public override string Name => "squared_emd_loss";

    public override FusedKind Fused => FusedKind.Tile;

    public override void CheckClasses(int classes)
    {
        _gaps = Check.Gaps(_positions, classes);
        _scale = _normalization == EmdNormalization.Paper ? 1.0 / classes : 1.0;
    }

    public override ITileKernel<T> TileKernel<T>(int classes) => new TileKernel<T, OrdinalEmdKernel<T>>(new(classes, _gaps, _p, _scale, _root));

    public override Tensor TensorRows(Tensor input, Tensor target, bool logits) =>
        TensorOpsLosses.OrdinalRows(input, target, _gaps, _p, _scale, _root, logits);
}
