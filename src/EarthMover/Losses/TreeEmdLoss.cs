// TorchSharp's own naming at the API boundary: lower-case static classes (earthmover.nn.functional) and
// snake_case functions and parameters, as in torch.nn.functional. Everything behind it is ordinary .NET.
#pragma warning disable CS8981, CA1707

using EarthMover.Kernels;
using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover
{
    public static partial class earthmover
    {
        public static partial class nn
        {
            /// <summary>The exact EMD under a tree metric between classes; see <see cref="functional.tree_emd_loss"/>.</summary>
            /// <param name="tree">The class hierarchy with edge lengths.</param>
            /// <param name="input_type">Whether the input holds logits or probabilities.</param>
            /// <param name="reduction">Mean (weighted mean with sample weights), Sum or None.</param>
            public static Modules.TreeEMDLoss TreeEMDLoss(
                ClassTree tree,
                EmdInput input_type = LossDefaults.Input,
                Reduction reduction = Reduction.Mean) =>
                new(tree, input_type, reduction);

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
                /// <param name="input">N x C logits (or probabilities).</param>
                /// <param name="target">N class indices (int64), or N x C target distributions.</param>
                /// <param name="tree">The class hierarchy (<see cref="ClassTree.FromParents"/>, or <see cref="ClassTree.FromDistance"/> / <see cref="GroundDistanceLearner.Tree"/> for one fitted to a distance).</param>
                /// <param name="input_type">Logits (default) or probabilities.</param>
                /// <param name="sample_weight">Optional per-sample weights (N), finite and ≥ 0; Mean then divides by their sum.</param>
                /// <param name="reduction">Mean (default), Sum or None.</param>
                /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
                /// <exception cref="ArgumentException">A shape, class index or distribution is invalid, or the tree's classes do not match C.</exception>
                public static Tensor tree_emd_loss(
                    Tensor input,
                    Tensor target,
                    ClassTree tree,
                    EmdInput input_type = LossDefaults.Input,
                    Tensor? sample_weight = null,
                    Reduction reduction = Reduction.Mean) =>
                    TreeEmd.Compute(input, target, tree, input_type, sample_weight, reduction, LossBackend.Auto);
            }
        }
    }

    /// <summary>The one implementation behind the three forms of the tree EMD loss.</summary>
    internal static class TreeEmd
    {
        public static Tensor Compute(Tensor input, Tensor target, ClassTree tree, EmdInput inputType, Tensor? sampleWeight, Reduction reduction, LossBackend backend)
        {
            ArgumentNullException.ThrowIfNull(tree);
            int classes = Check.Input(input);
            Check.Target(input, target, allowSoft: true);
            Check.SampleWeight(input, sampleWeight, "sample_weight");
            if (tree.Classes != classes)
            {
                throw new ArgumentException($"tree has {tree.Classes} classes but input has {classes}.", nameof(tree));
            }
            return LossDispatch.Run(
                input,
                target,
                sampleWeight,
                reduction,
                inputType,
                backend,
                tree.Kernel<float>,
                tree.Kernel<double>,
                logits => Rows(input, target, tree, logits));
        }

        /// <summary>The tensor-operation form: subtree masses as a product with the C x (N-1) indicator of "class k is below edge e".</summary>
        public static Tensor Rows(Tensor input, Tensor target, ClassTree tree, bool logits)
        {
            using var scope = torch.NewDisposeScope();
            var p = logits ? input.softmax(1) : input;
            var (below, lengths) = tree.CachedTensors(input.dtype, input.device);
            var t = target.dim() == 1 ? below.index_select(0, target.to(ScalarType.Int64)) : target.to(input.dtype).mm(below);
            return ((p.mm(below) - t).abs() * lengths).sum(1).MoveToOuterDisposeScope();
        }
    }
}

namespace EarthMover.Modules
{
    /// <summary>The exact EMD under a tree metric, as a module: see <see cref="earthmover.nn.functional.tree_emd_loss"/>.</summary>
    public sealed class TreeEMDLoss : Loss<Tensor, Tensor, Tensor>
    {
        internal TreeEMDLoss(ClassTree tree, EmdInput inputType, Reduction reduction)
            : base(reduction)
        {
            ArgumentNullException.ThrowIfNull(tree);
            this.tree = tree;
            input_type = inputType;
        }

        /// <summary>The class hierarchy; replace it (each epoch, with a learned one) by assigning a new one.</summary>
        public ClassTree tree { get; set; }

        /// <summary>What the input holds.</summary>
        public EmdInput input_type { get; }

        /// <summary>The loss of <paramref name="input"/> against <paramref name="target"/>.</summary>
        /// <param name="input">N x C logits or probabilities.</param>
        /// <param name="target">N class indices or N x C distributions.</param>
        public override Tensor forward(Tensor input, Tensor target) => forward(input, target, null);

        /// <summary>The loss with per-sample weights.</summary>
        /// <param name="input">N x C logits or probabilities.</param>
        /// <param name="target">N class indices or N x C distributions.</param>
        /// <param name="sample_weight">N per-sample weights, or null.</param>
        public Tensor forward(Tensor input, Tensor target, Tensor? sample_weight) =>
            earthmover.nn.functional.tree_emd_loss(input, target, tree, input_type, sample_weight, reduction);
    }
}
