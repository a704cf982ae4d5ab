// TorchSharp's own naming at the API boundary: lower-case static classes (earthmover.nn.functional) and
// snake_case functions and parameters, as in torch.nn.functional. Everything behind it is ordinary .NET.
#pragma warning disable CS8981, CA1707

using EarthMover.Kernels.Rows;
using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover
{
    public static partial class earthmover
    {
        public static partial class nn
        {
            /// <summary>The q-Wasserstein distance for ordered classes; see <see cref="functional.wasserstein_1d_loss"/>.</summary>
            /// <param name="exponent">The exponent q ≥ 1 of the ground cost |x_i - x_j|^q (2: W2²).</param>
            /// <param name="root">Return W_q instead of W_q^q.</param>
            /// <param name="positions">Class positions, strictly increasing (default 0, 1, ..., C-1).</param>
            /// <param name="input_type">Whether the input holds logits or probabilities.</param>
            /// <param name="reduction">Mean (weighted mean with sample weights), Sum or None.</param>
            public static Modules.Wasserstein1dLoss Wasserstein1dLoss(
                double exponent = LossDefaults.Exponent,
                bool root = LossDefaults.Root,
                IReadOnlyList<double>? positions = null,
                EmdInput input_type = LossDefaults.Input,
                Reduction reduction = Reduction.Mean) =>
                new(exponent, root, positions, input_type, reduction);

            public static partial class functional
            {
                /// <summary>
                /// The q-Wasserstein distance between the prediction p = softmax(input) and the target on classes at
                /// positions x (docs/math.md §13): <c>W_q^q = ∫_0^1 |x(F_p^-1(u)) - x(F_t^-1(u))|^q du</c>,
                /// the cost of the quantile (monotone) coupling, which is the exact EMD for the ground cost |x_i - x_j|^q
                /// (POT's <c>ot.wasserstein_1d(x, x, p, t, p=q)</c>; <see cref="emd_loss(Tensor, Tensor, GroundDistance, EmdInput, Tensor?, Reduction)"/>
                /// with <see cref="GroundDistance.FromPositions"/>(x, q) gives the same value, in O(C²) or more instead of O(C)).
                /// This is not the paper's CDF form (<see cref="squared_emd_loss"/>, Σ gaps · |P - T|^l): the two agree for
                /// q = l = 1 only; for q = 2, p = [.5, 0, .5] and class 1 this is W2² = 1 where the squared-CDF loss with
                /// s = 1 is 0.5. The gradient is the optimal dual potential of the coupling (centred; through the softmax
                /// for logits). Computed on the CPU in float64; tensors on other devices are copied there and back.
                /// </summary>
                /// <param name="input">N x C logits (or probabilities).</param>
                /// <param name="target">N class indices (int64), or N x C target distributions. Rows are scaled to unit mass.</param>
                /// <param name="exponent">The exponent q ≥ 1 (default 2).</param>
                /// <param name="root">Return W_q = (W_q^q)^(1/q) per sample; its gradient is taken as 0 where prediction equals target.</param>
                /// <param name="positions">Class positions x, strictly increasing (default 0, 1, ..., C-1).</param>
                /// <param name="input_type">Logits (default) or probabilities.</param>
                /// <param name="sample_weight">Optional per-sample weights (N), finite and ≥ 0; Mean then divides by their sum.</param>
                /// <param name="reduction">Mean (default), Sum or None.</param>
                /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
                /// <exception cref="ArgumentException">A shape, class index, distribution, exponent or position is invalid.</exception>
                public static Tensor wasserstein_1d_loss(
                    Tensor input,
                    Tensor target,
                    double exponent = LossDefaults.Exponent,
                    bool root = LossDefaults.Root,
                    IReadOnlyList<double>? positions = null,
                    EmdInput input_type = LossDefaults.Input,
                    Tensor? sample_weight = null,
                    Reduction reduction = Reduction.Mean) =>
                    Wasserstein1d.Compute(input, target, exponent, root, positions, input_type, sample_weight, reduction);
            }
        }
    }

    /// <summary>The one implementation behind the three forms of the W_q loss on the line.</summary>
    internal static class Wasserstein1d
    {
        public static Tensor Compute(Tensor input, Tensor target, double exponent, bool root, IReadOnlyList<double>? positions, EmdInput inputType, Tensor? sampleWeight, Reduction reduction)
        {
            int classes = Check.Input(input);
            Check.Target(input, target, allowSoft: true);
            Check.SampleWeight(input, sampleWeight, "sample_weight");
            Check.Exponent(exponent);
            Check.Gaps(positions, classes);
            var x = positions?.ToArray() ?? Enumerable.Range(0, classes).Select(i => (double)i).ToArray();
            return RowDispatch.Run(input, target, sampleWeight, reduction, inputType, new LineWassersteinKernel(x, exponent, root));
        }
    }
}

namespace EarthMover.Modules
{
    /// <summary>The q-Wasserstein distance for ordered classes as a module: see <see cref="earthmover.nn.functional.wasserstein_1d_loss"/>. Options are checked when the module is made.</summary>
    public sealed class Wasserstein1dLoss : Loss<Tensor, Tensor, Tensor>
    {
        private readonly double[]? _positions;

        internal Wasserstein1dLoss(double exponent, bool root, IReadOnlyList<double>? positions, EmdInput inputType, Reduction reduction)
            : base(reduction)
        {
            Check.Exponent(exponent);
            if (positions is not null)
            {
                Check.Gaps(positions, positions.Count);
            }
            this.exponent = exponent;
            this.root = root;
            _positions = positions?.ToArray();
            input_type = inputType;
        }

        /// <summary>The exponent q.</summary>
        public double exponent { get; }

        /// <summary>Whether W_q rather than W_q^q is returned.</summary>
        public bool root { get; }

        /// <summary>The class positions, or null for 0, 1, ..., C-1.</summary>
        public IReadOnlyList<double>? positions => _positions;

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
            earthmover.nn.functional.wasserstein_1d_loss(input, target, exponent, root, _positions, input_type, sample_weight, reduction);
    }
}
