// TorchSharp's own naming at the API boundary: lower-case static classes (earthmover.nn.functional) and
// snake_case functions and parameters, as in torch.nn.functional. Everything behind it is ordinary .NET.
#pragma warning disable CS8981, CA1707

using EarthMover.Kernels;
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
            /// <summary>The entropic (Sinkhorn) EMD; see <see cref="functional.sinkhorn_loss(Tensor, Tensor, GroundDistance, double, SinkhornQuantity, int, double, EmdInput, Tensor?, Reduction)"/>.</summary>
            /// <param name="distance">The ground distance D between classes.</param>
            /// <param name="epsilon">The entropic regularisation ε &gt; 0, in the units of D (POT's <c>reg</c>).</param>
            /// <param name="quantity">The transport cost of the entropic plan (POT's value), the entropic objective, or the debiased divergence.</param>
            /// <param name="max_iter">At most this many Sinkhorn iterations.</param>
            /// <param name="tol">Stop when every row's marginal error is below this.</param>
            /// <param name="input_type">Whether the input holds logits or probabilities.</param>
            /// <param name="reduction">Mean (weighted mean with sample weights), Sum or None.</param>
            public static Modules.SinkhornLoss SinkhornLoss(
                GroundDistance distance,
                double epsilon,
                SinkhornQuantity quantity = LossDefaults.Sinkhorn,
                int max_iter = LossDefaults.SinkhornMaxIterations,
                double tol = LossDefaults.SinkhornTolerance,
                EmdInput input_type = LossDefaults.Input,
                Reduction reduction = Reduction.Mean) =>
                new(distance, epsilon, quantity, max_iter, tol, input_type, reduction);

            public static partial class functional
            {
                /// <summary>
                /// The entropic Earth Mover's Distance between the prediction p = softmax(input) and a target distribution t
                /// (Cuturi 2013; Frogner et al. 2015; docs/math.md §11). The plan P_ε minimises
                /// <c>⟨P, D⟩ + ε Σ P (log P - 1)</c> over plans with row sums p and column sums t; it is found by
                /// Sinkhorn's iterations in the log domain (POT's <c>ot.bregman.sinkhorn_log</c>; on the CPU row by row
                /// on the losses' worker threads, elsewhere all rows at once in tensor operations), which stay finite at small ε. <paramref name="quantity"/>
                /// chooses the value: <see cref="SinkhornQuantity.Cost"/> = ⟨P_ε, D⟩ (POT's <c>ot.sinkhorn2</c>),
                /// <see cref="SinkhornQuantity.Regularized"/> = OT_ε = ⟨P_ε, D⟩ + ε Σ P_ε (log P_ε - 1), or
                /// <see cref="SinkhornQuantity.Divergence"/> = OT_ε(p, t) - (OT_ε(p, p) + OT_ε(t, t)) / 2. As ε → 0 each
                /// tends to the exact EMD (<see cref="emd_loss(Tensor, Tensor, GroundDistance, EmdInput, Tensor?, Reduction)"/>).
                /// The iterations run without autograd; the gradient with respect to p is exact at convergence:
                /// the dual potential for the regularized objective and the divergence (envelope theorem), implicit
                /// differentiation of the plan for the cost. Iterations stop after <paramref name="max_iter"/>, or once
                /// the column marginals are within <paramref name="tol"/> of t (L2 norm, checked every 10 iterations, as
                /// POT does): on the CPU each row once its own are, elsewhere all rows once every row's are. The row
                /// marginals are exact after each iteration. No gradient flows to the target.
                /// </summary>
                /// <param name="input">N x C logits (or probabilities), float32 or float64 on any device (half precision is computed in float32).</param>
                /// <param name="target">N class indices (int64), or N x C target distributions. Rows are scaled to unit mass.</param>
                /// <param name="distance">The ground distance D, C x C.</param>
                /// <param name="epsilon">The regularisation ε &gt; 0, in the units of D.</param>
                /// <param name="quantity">Which value to return (default: the cost, as POT's <c>sinkhorn2</c>).</param>
                /// <param name="max_iter">The iteration cap (default 1000, as POT).</param>
                /// <param name="tol">The stopping threshold on the marginal error (default 1e-9, as POT); 0 runs all <paramref name="max_iter"/> iterations.</param>
                /// <param name="input_type">Logits (default) or probabilities.</param>
                /// <param name="sample_weight">Optional per-sample weights (N), finite and ≥ 0; Mean then divides by their sum.</param>
                /// <param name="reduction">Mean (default), Sum or None.</param>
                /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
                /// <exception cref="ArgumentException">A shape, class index or distribution is invalid, D does not match C, or ε, max_iter or tol is out of range.</exception>
                public static Tensor sinkhorn_loss(
                    Tensor input,
                    Tensor target,
                    GroundDistance distance,
                    double epsilon,
                    SinkhornQuantity quantity = LossDefaults.Sinkhorn,
                    int max_iter = LossDefaults.SinkhornMaxIterations,
                    double tol = LossDefaults.SinkhornTolerance,
                    EmdInput input_type = LossDefaults.Input,
                    Tensor? sample_weight = null,
                    Reduction reduction = Reduction.Mean) =>
                    Sinkhorn.Compute(input, target, distance, epsilon, quantity, max_iter, tol, input_type, sample_weight, reduction);

                /// <summary>
                /// <see cref="sinkhorn_loss(Tensor, Tensor, GroundDistance, double, SinkhornQuantity, int, double, EmdInput, Tensor?, Reduction)"/>
                /// with D given as a tensor, checked on every call.
                /// </summary>
                /// <param name="input">N x C logits (or probabilities).</param>
                /// <param name="target">N class indices (int64), or N x C target distributions.</param>
                /// <param name="distance">The ground distance D: C x C, finite, ≥ 0, zero diagonal.</param>
                /// <param name="epsilon">The regularisation ε &gt; 0, in the units of D.</param>
                /// <param name="quantity">Which value to return.</param>
                /// <param name="max_iter">The iteration cap.</param>
                /// <param name="tol">The stopping threshold on the marginal error.</param>
                /// <param name="input_type">Logits (default) or probabilities.</param>
                /// <param name="sample_weight">Optional per-sample weights (N).</param>
                /// <param name="reduction">Mean (default), Sum or None.</param>
                /// <returns>The loss.</returns>
                public static Tensor sinkhorn_loss(
                    Tensor input,
                    Tensor target,
                    Tensor distance,
                    double epsilon,
                    SinkhornQuantity quantity = LossDefaults.Sinkhorn,
                    int max_iter = LossDefaults.SinkhornMaxIterations,
                    double tol = LossDefaults.SinkhornTolerance,
                    EmdInput input_type = LossDefaults.Input,
                    Tensor? sample_weight = null,
                    Reduction reduction = Reduction.Mean) =>
                    Sinkhorn.Compute(input, target, GroundDistance.FromMatrix(distance), epsilon, quantity, max_iter, tol, input_type, sample_weight, reduction);
            }
        }
    }
}

namespace EarthMover.Modules
{
    /// <summary>The entropic (Sinkhorn) EMD as a module: see <see cref="earthmover.nn.functional.sinkhorn_loss(Tensor, Tensor, GroundDistance, double, SinkhornQuantity, int, double, EmdInput, Tensor?, Reduction)"/>. Options are checked when the module is made.</summary>
    public sealed class SinkhornLoss : Loss<Tensor, Tensor, Tensor>
    {
        internal SinkhornLoss(GroundDistance distance, double epsilon, SinkhornQuantity quantity, int maxIter, double tol, EmdInput inputType, Reduction reduction)
            : base(reduction)
        {
            ArgumentNullException.ThrowIfNull(distance);
            Sinkhorn.CheckOptions(epsilon, quantity, maxIter, tol);
            this.distance = distance;
            this.epsilon = epsilon;
            this.quantity = quantity;
            max_iter = maxIter;
            this.tol = tol;
            input_type = inputType;
        }

        /// <summary>The ground distance D.</summary>
        public GroundDistance distance { get; }

        /// <summary>The regularisation ε.</summary>
        public double epsilon { get; }

        /// <summary>Which value the loss returns.</summary>
        public SinkhornQuantity quantity { get; }

        /// <summary>The iteration cap.</summary>
        public int max_iter { get; }

        /// <summary>The stopping threshold on the marginal error.</summary>
        public double tol { get; }

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
            earthmover.nn.functional.sinkhorn_loss(input, target, distance, epsilon, quantity, max_iter, tol, input_type, sample_weight, reduction);
    }
}
