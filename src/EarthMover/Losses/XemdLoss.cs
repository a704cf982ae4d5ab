using EarthMover.Kernels;

namespace EarthMover;

/// <summary>The XEMD loss (docs/math.md §4): a tile kernel with the rows of W.</summary>
internal sealed class XemdDefinition : LossDefinition
{
    private readonly XemdWeights _weights;
    private readonly EmdNormalization _normalization;

    public XemdDefinition(XemdWeights weights, EmdNormalization? normalization)
    {
        ArgumentNullException.ThrowIfNull(weights, "xemd_weights");
        _weights = weights;
        _normalization = Check.Normalization(normalization ?? LossDefaults.Normalization);
    }

    public override string Name => "xemd_loss";

    public override bool AcceptsDistributions => false;

    public override FusedKind Fused => FusedKind.Tile;

    public override void CheckClasses(int classes) => Check.Classes(classes, _weights.Classes, "xemd_weights");

    public override ITileKernel<T> TileKernel<T>(int classes) =>
        _weights.Kernel<T>(_normalization);

    public override Tensor TensorRows(Tensor input, Tensor target, bool logits) =>
        TensorOpsLosses.XemdRows(input, target, _weights, _normalization == EmdNormalization.Paper ? 1.0 / input.size(1) : 1.0, logits);
}
