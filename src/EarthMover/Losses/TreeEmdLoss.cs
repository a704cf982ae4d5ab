using EarthMover.Engine;
using EarthMover.Kernels;

namespace EarthMover;

public static partial class earthmover
{
    public static partial class nn
    {
        /// <summary>The exact EMD under a tree metric between classes; see <see cref="functional.tree_emd_loss(Tensor, Tensor, ClassTree, EmdInput?, Tensor?, Tensor?, Reduction)"/>.</summary>
        /// <param name="tree">The class hierarchy with edge lengths.</param>
        /// <include file="LossParameters.xml" path="losses/factory/param"/>
        public static Modules.TreeEMDLoss TreeEMDLoss(ClassTree tree, EmdInput? input_type = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
            new(tree, input_type, weight, reduction);

        public static partial class functional
        {
            /// <summary>
            /// The exact Earth Mover's Distance from the prediction p = softmax(input) to a target distribution t
            /// when the ground distance is the path length in a tree (docs/math.md §12): for any p
            /// and t, <c>EMD(p, t) = Σ_{edges e} w_e |p(below e) - t(below e)|</c>, where p(below e) is the mass
            /// of the classes under e (equal to POT's <c>ot.emd2</c> with D = <see cref="ClassTree.Distance"/>).
            /// Linear in the number of nodes, in one fused CPU pass like the other losses, or as a matrix product
            /// with the subtree indicator on any device. Class indices are one-hot targets. The gradient is
            /// dL/dp_k = Σ over the edges above class k of w_e sign(p(below e) - t(below e)), through the softmax
            /// for logits (sign 0 where the masses are equal, a subgradient).
            /// </summary>
            /// <include file="LossParameters.xml" path="losses/functional/param"/>
            /// <param name="target">N class indices (int64), or N x C target distributions.</param>
            /// <param name="tree">The class hierarchy (<see cref="ClassTree.FromParents"/>, or <see cref="ClassTree.FromDistance"/> / <see cref="GroundDistanceLearner.Tree"/> for one fitted to a distance).</param>
            /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
            /// <exception cref="ArgumentException">A shape, class index or distribution is invalid, or the tree's classes do not match C.</exception>
            public static Tensor tree_emd_loss(Tensor input, Tensor target, ClassTree tree, EmdInput? input_type = null, Tensor? weight = null, Tensor? sample_weight = null, Reduction reduction = Reduction.Mean) =>
                LossEngine.Run(new TreeEmdDefinition(tree), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);

            /// <summary>
            /// <see cref="tree_emd_loss(Tensor, Tensor, ClassTree, EmdInput?, Tensor?, Tensor?, Reduction)"/> with the tree given by its
            /// distance matrix, which must be a tree metric (<see cref="ClassTree.FromDistance"/>; checked on every call).
            /// </summary>
            /// <include file="LossParameters.xml" path="losses/functional/param"/>
            /// <param name="target">N class indices (int64), or N x C target distributions.</param>
            /// <param name="distance">The tree's path-length distance: C x C, a tree metric.</param>
            /// <returns>The loss.</returns>
            public static Tensor tree_emd_loss(Tensor input, Tensor target, Tensor distance, EmdInput? input_type = null, Tensor? weight = null, Tensor? sample_weight = null, Reduction reduction = Reduction.Mean) =>
                tree_emd_loss(input, target, ClassTree.FromDistance(GroundDistance.FromMatrix(distance)), input_type, weight, sample_weight, reduction);
        }
    }
}

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
