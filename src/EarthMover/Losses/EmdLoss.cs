// TorchSharp's own naming at the API boundary: lower-case static classes (earthmover.nn.functional) and
// snake_case functions and parameters, as in torch.nn.functional. Everything behind it is ordinary .NET.
#pragma warning disable CS8981, CA1707

using EarthMover.Kernels.Rows;
using EarthMover.Kernels.Transport;
using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover
{
    public static partial class earthmover
    {
        public static partial class nn
        {
            /// <summary>The exact EMD between the prediction and a target distribution under any ground distance; see <see cref="functional.emd_loss(Tensor, Tensor, GroundDistance, EmdInput, Tensor?, Reduction)"/>.</summary>
            /// <param name="distance">The ground distance D between classes.</param>
            /// <param name="input_type">Whether the input holds logits or probabilities.</param>
            /// <param name="reduction">Mean (weighted mean with sample weights), Sum or None.</param>
            public static Modules.EMDLoss EMDLoss(
                GroundDistance distance,
                EmdInput input_type = LossDefaults.Input,
                Reduction reduction = Reduction.Mean) =>
                new(distance, input_type, reduction);

            public static partial class functional
            {
                /// <summary>
                /// The exact Earth Mover's Distance (optimal transport cost) from the prediction p = softmax(input)
                /// to a target distribution t under a ground distance D (docs/math.md §10):
                /// <c>EMD(p, t) = min Σ_ij P_ij D_ij</c> over plans P ≥ 0 with row sums p and column sums t, solved
                /// exactly per row by a network simplex on the CPU (POT's <c>ot.emd2</c>, batched). D may be any
                /// non-negative matrix with zero diagonal: the linear program is defined for any cost; when D also
                /// satisfies the triangle inequality (a metric, or a quasi-metric: symmetry is not needed) the
                /// solver moves only the excess p - t, a problem half the size. With class indices as targets this
                /// equals <see cref="ground_emd_loss(Tensor, Tensor, GroundDistance, EmdInput, Tensor?, Tensor?, Reduction)"/>, Σ_i p_i D_ik.
                /// The gradient with respect to p is an optimal dual potential f (f_i + g_j ≤ D_ij, Σ f p + Σ g t = EMD),
                /// centred to sum to zero, and through the softmax for logits; where the problem is degenerate (ties
                /// in D, p = t) the dual is not unique and any optimal one is a valid subgradient.
                /// Tensors on other devices or of other types are copied to the CPU as float64 for the solver, and the
                /// loss and gradient copied back.
                /// </summary>
                /// <param name="input">N x C logits (or probabilities).</param>
                /// <param name="target">N class indices (int64), or N x C target distributions. Rows are scaled to unit mass (they may be off by the distribution tolerance).</param>
                /// <param name="distance">The ground distance D, C x C.</param>
                /// <param name="input_type">Logits (default) or probabilities.</param>
                /// <param name="sample_weight">Optional per-sample weights (N), finite and ≥ 0; Mean then divides by their sum.</param>
                /// <param name="reduction">Mean (default), Sum or None.</param>
                /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
                /// <exception cref="ArgumentException">A shape, class index or distribution is invalid, or D does not match C.</exception>
                public static Tensor emd_loss(
                    Tensor input,
                    Tensor target,
                    GroundDistance distance,
                    EmdInput input_type = LossDefaults.Input,
                    Tensor? sample_weight = null,
                    Reduction reduction = Reduction.Mean) =>
                    Emd.Compute(input, target, distance, input_type, sample_weight, reduction);

                /// <summary>
                /// <see cref="emd_loss(Tensor, Tensor, GroundDistance, EmdInput, Tensor?, Reduction)"/> with D given as a
                /// tensor, checked on every call; build a <see cref="GroundDistance"/> once to check it once (and to
                /// keep the solver's per-distance tables between calls).
                /// </summary>
                /// <param name="input">N x C logits (or probabilities).</param>
                /// <param name="target">N class indices (int64), or N x C target distributions.</param>
                /// <param name="distance">The ground distance D: C x C, finite, ≥ 0, zero diagonal.</param>
                /// <param name="input_type">Logits (default) or probabilities.</param>
                /// <param name="sample_weight">Optional per-sample weights (N).</param>
                /// <param name="reduction">Mean (default), Sum or None.</param>
                /// <returns>The loss.</returns>
                public static Tensor emd_loss(
                    Tensor input,
                    Tensor target,
                    Tensor distance,
                    EmdInput input_type = LossDefaults.Input,
                    Tensor? sample_weight = null,
                    Reduction reduction = Reduction.Mean) =>
                    Emd.Compute(input, target, GroundDistance.FromMatrix(distance), input_type, sample_weight, reduction);
            }
        }
    }

    /// <summary>The one implementation behind the three forms of the exact EMD loss.</summary>
    internal static class Emd
    {
        public static Tensor Compute(Tensor input, Tensor target, GroundDistance distance, EmdInput inputType, Tensor? sampleWeight, Reduction reduction)
        {
            ArgumentNullException.ThrowIfNull(distance);
            int classes = Check.Input(input);
            Check.Target(input, target, allowSoft: true);
            Check.SampleWeight(input, sampleWeight, "sample_weight");
            Check.Classes(classes, distance.Classes, nameof(distance));
            return RowDispatch.Run(input, target, sampleWeight, reduction, inputType, Solver(distance));
        }

        /// <summary>The solver for a distance, made once per distance.</summary>
        internal static ExactTransport Solver(GroundDistance distance) =>
            distance.CachedKernel(() => new ExactTransport(distance.Classes, distance.Values));
    }
}

namespace EarthMover.Modules
{
    /// <summary>The exact EMD to a target distribution under any ground distance, as a module: see <see cref="earthmover.nn.functional.emd_loss(Tensor, Tensor, GroundDistance, EmdInput, Tensor?, Reduction)"/>.</summary>
    public sealed class EMDLoss : Loss<Tensor, Tensor, Tensor>
    {
        internal EMDLoss(GroundDistance distance, EmdInput inputType, Reduction reduction)
            : base(reduction)
        {
            ArgumentNullException.ThrowIfNull(distance);
            this.distance = distance;
            input_type = inputType;
        }

        /// <summary>The ground distance D.</summary>
        public GroundDistance distance { get; }

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
            earthmover.nn.functional.emd_loss(input, target, distance, input_type, sample_weight, reduction);
    }
}
