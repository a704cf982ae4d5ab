using EarthMover.Kernels;

namespace EarthMover;

/// <summary>The EMD under a tree metric (docs/math.md §12): a tile kernel over the subtree masses.</summary>
internal sealed class TreeEmdDefinition(ClassTree tree) : LossDefinition
{
    private readonly ClassTree _tree = tree ?? throw new ArgumentNullException(nameof(tree));

    public override string Name => "tree_emd_loss";

    public override FusedKind Fused => FusedKind.Tile;

    public override void CheckClasses(int classes) => Check.ClassCount(classes, _tree.Classes, "tree");

    public override ITileKernel<T> TileKernel<T>(int classes) => _tree.Kernel<T>();

    /// <summary>The tensor-operation form: subtree masses as a product with the C x (N-1) indicator of "class k is below edge e".</summary>
    public override Tensor TensorRows(Tensor input, Tensor target, bool logits)
    {
        using var scope = torch.NewDisposeScope();
        var p = logits ? input.softmax(1) : input;
        var (below, lengths) = _tree.CachedTensors(input.dtype, input.device);
        var t = target.dim() == 1 ? below.index_select(0, target.to(ScalarType.Int64)) : target.to(input.dtype).mm(below);
        return ((p.mm(below) - t).abs() * lengths).sum(1).MoveToOuterDisposeScope();
    }
}
