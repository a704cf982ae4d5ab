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
            /// <summary>
            /// The squared Earth Mover's Distance loss for ordered classes (docs/math.md §2); see
            /// <see cref="functional.squared_emd_loss"/> for the formula and parameters.
            /// </summary>
            /// <param name="exponent">The exponent l ≥ 1 of the CDF differences (2: the paper's EMD²).</param>
            /// <param name="root">Take the l-th root per sample (NIMA's EMD_l).</param>
            /// <param name="positions">Class positions, strictly increasing (default 0, 1, ..., C-1).</param>
            /// <param name="normalization">s = 1/C (the paper) or 1 (the plain sum, the RPS for l = 2).</param>
            /// <param name="input_type">Whether the input holds logits or probabilities.</param>
            /// <param name="weight">Optional per-class weights (C), finite and ≥ 0, for class-index targets: each sample is weighted by its target class's weight (docs/math.md §7).</param>
            /// <param name="reduction">Mean (divided by the sum of the weights used), Sum or None.</param>
            public static Modules.SquaredEMDLoss SquaredEMDLoss(
                double exponent = LossDefaults.Exponent,
                bool root = LossDefaults.Root,
                IReadOnlyList<double>? positions = null,
                EmdNormalization normalization = LossDefaults.Normalization,
                EmdInput input_type = LossDefaults.Input,
                Tensor? weight = null,
                Reduction reduction = Reduction.Mean) =>
                new(exponent, root, positions, normalization, input_type, weight, reduction);

            public static partial class functional
            {
                /// <summary>
                /// The squared Earth Mover's Distance for ordered classes (Hou, Yu and Samaras; docs/math.md §2). With P and T
                /// the cumulative distributions of the prediction p = softmax(input) and of the target,
                /// <c>L = s · Σ_{m=1}^{C-1} (x_{m+1} - x_m) · |P_m - T_m|^l</c>, and <c>L^(1/l)</c> when <paramref name="root"/> is set.
                /// With the defaults (l = 2, unit spacing, s = 1/C) this is the paper's EMD² = (1/C) Σ_m (P_m - T_m)².
                /// With s = 1: l = 1 is the exact 1-Wasserstein distance on the line (SciPy's wasserstein_distance),
                /// l = 2 is half the squared energy distance (the Cramér distance; the Ranked Probability Score).
                /// It is not W2² (ground cost |i - j|²): for that use <see cref="ground_emd_loss(Tensor, Tensor, GroundDistance, EmdInput, Tensor?, Tensor?, Reduction)"/>.
                /// </summary>
                /// <param name="input">N x C logits (or probabilities, see <paramref name="input_type"/>), float32 or float64 on the CPU, any floating type elsewhere.</param>
                /// <param name="target">N class indices (int64), or N x C target distributions (soft labels).</param>
                /// <param name="exponent">The exponent l ≥ 1 (default 2).</param>
                /// <param name="root">Take the l-th root per sample; its gradient is kept finite (zero) where prediction equals target.</param>
                /// <param name="positions">Class positions x, strictly increasing (default 0, 1, ..., C-1).</param>
                /// <param name="normalization">s = 1/C (<see cref="EmdNormalization.Paper"/>, default) or 1.</param>
                /// <param name="input_type">Logits (default) or probabilities.</param>
                /// <param name="weight">Optional per-class weights (C), finite and ≥ 0, for class-index targets: sample i is weighted by weight[target_i], as in <c>cross_entropy</c> (docs/math.md §7). Refused with target distributions.</param>
                /// <param name="sample_weight">Optional per-sample weights (N), finite and ≥ 0; multiplied with the class weights when both are given.</param>
                /// <param name="reduction">Mean (default: Σ v_i L_i / Σ v_i with v the weights used), Sum or None (one weighted loss per sample). An empty batch gives 0 (Sum) or an empty tensor (None); its Mean is refused.</param>
                /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
                /// <exception cref="ArgumentException">A shape, type, device, class index, distribution, weight, exponent or position is invalid; the message names it.</exception>
                public static Tensor squared_emd_loss(
                    Tensor input,
                    Tensor target,
                    double exponent = LossDefaults.Exponent,
                    bool root = LossDefaults.Root,
                    IReadOnlyList<double>? positions = null,
                    EmdNormalization normalization = LossDefaults.Normalization,
                    EmdInput input_type = LossDefaults.Input,
                    Tensor? weight = null,
                    Tensor? sample_weight = null,
                    Reduction reduction = Reduction.Mean) =>
                    SquaredEmd.Compute(input, target, exponent, root, positions, normalization, input_type, sample_weight, reduction, LossBackend.Auto, weight);
            }
        }
    }

    /// <summary>The one implementation behind the three forms of the squared EMD loss.</summary>
    internal static class SquaredEmd
    {
        public static Tensor Compute(Tensor input, Tensor target, double exponent, bool root, IReadOnlyList<double>? positions, EmdNormalization normalization, EmdInput inputType, Tensor? sampleWeight, Reduction reduction, LossBackend backend, Tensor? classWeight = null)
        {
            int classes = Check.Input(input);
            Check.Target(input, target, allowSoft: true);
            Check.SampleWeight(input, sampleWeight);
            Check.ClassWeight(input, target, classWeight);
            Check.Exponent(exponent);
            var gaps = Check.Gaps(positions, classes);
            double scale = Scale(normalization, classes);
            return LossDispatch.Run(
                input,
                target,
                sampleWeight,
                reduction,
                inputType,
                backend,
                () => new OrdinalEmdKernel<float>(classes, gaps, exponent, scale, root),
                () => new OrdinalEmdKernel<double>(classes, gaps, exponent, scale, root),
                logits => TensorOpsLosses.OrdinalRows(input, target, gaps, exponent, scale, root, logits),
                classWeight);
        }

        public static double Scale(EmdNormalization normalization, int classes) => normalization switch
        {
            EmdNormalization.Paper => 1.0 / classes,
            EmdNormalization.None => 1.0,
            _ => throw new ArgumentException($"normalization = {normalization} is not an EmdNormalization value.", nameof(normalization)),
        };
    }
}

namespace EarthMover.Modules
{
    /// <summary>
    /// The squared EMD loss for ordered classes as a module (docs/math.md §2): see
    /// <see cref="earthmover.nn.functional.squared_emd_loss"/>. Options are checked when the module is made.
    /// </summary>
    public sealed class SquaredEMDLoss : Loss<Tensor, Tensor, Tensor>
    {
        private readonly double[]? _positions;

        [TorchSharp.Utils.ComponentName(Name = "weight")]
        private Tensor? _weight;

        internal SquaredEMDLoss(double exponent, bool root, IReadOnlyList<double>? positions, EmdNormalization normalization, EmdInput inputType, Tensor? weight, Reduction reduction)
            : base(reduction)
        {
            Check.Exponent(exponent);
            if (positions is not null)
            {
                Check.Gaps(positions, positions.Count);
            }
            SquaredEmd.Scale(normalization, 2);
            this.exponent = exponent;
            this.root = root;
            _positions = positions?.ToArray();
            this.normalization = normalization;
            input_type = inputType;
            _weight = ClassWeights.Register(this, weight);
        }

        /// <summary>The exponent l.</summary>
        public double exponent { get; }

        /// <summary>Whether the l-th root is taken per sample.</summary>
        public bool root { get; }

        /// <summary>The class positions, or null for 0, 1, ..., C-1.</summary>
        public IReadOnlyList<double>? positions => _positions;

        /// <summary>The normalisation s.</summary>
        public EmdNormalization normalization { get; }

        /// <summary>What the input holds.</summary>
        public EmdInput input_type { get; }

        /// <summary>The per-class weights (a buffer, saved with the module), or null.</summary>
        public Tensor? weight => _weight;

        /// <summary>The loss of <paramref name="input"/> against <paramref name="target"/>.</summary>
        /// <param name="input">N x C logits or probabilities.</param>
        /// <param name="target">N class indices or N x C distributions.</param>
        public override Tensor forward(Tensor input, Tensor target) => forward(input, target, null);

        /// <summary>The loss with per-sample weights (multiplied with the module's per-class weights, if any).</summary>
        /// <param name="input">N x C logits or probabilities.</param>
        /// <param name="target">N class indices or N x C distributions.</param>
        /// <param name="sample_weight">N per-sample weights, or null.</param>
        public Tensor forward(Tensor input, Tensor target, Tensor? sample_weight) =>
            earthmover.nn.functional.squared_emd_loss(input, target, exponent, root, _positions, normalization, input_type, _weight, sample_weight, reduction);
    }
}
