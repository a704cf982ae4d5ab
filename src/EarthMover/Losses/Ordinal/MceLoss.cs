// TorchSharp's own naming at the API boundary: lower-case static classes (earthmover.nn.functional) and
// snake_case functions and parameters, as in torch.nn.functional. Everything behind it is ordinary .NET.
#pragma warning disable CS8981, CA1707

using EarthMover.Engine;
using EarthMover.Losses.Ordinal;
using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover
{
    public static partial class earthmover
    {
        public static partial class nn
        {
            /// <summary>MCE as a module; see <see cref="functional.mce_loss"/>.</summary>
            /// <param name="input_type">Logits (default) or probabilities.</param>
            /// <param name="weight">Optional per-class weights (K), multiplying prediction column c.</param>
            /// <param name="reduction">Mean (over classes), Sum, or None (the K per-class values).</param>
            public static Modules.MCELoss MCELoss(EmdInput? input_type = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
                new(input_type, weight, reduction);

            public static partial class functional
            {
                /// <summary>
                /// MCE (dlordinal's MCELoss; docs/math.md §21): the mean squared error of each class's probability against
                /// its one-hot indicator, per class, MSE_c = Σ_n s_n w_c (t_nc - p_nc)² / Σ_n s_n; Mean = (1/K) Σ_c MSE_c,
                /// Sum = Σ_c MSE_c, None = the K values (per class, not per sample, as dlordinal).
                /// </summary>
                /// <param name="input">N x K logits (or probabilities).</param>
                /// <param name="target">N class indices in [0, K).</param>
                /// <param name="input_type">Logits (default) or probabilities.</param>
                /// <param name="weight">Optional per-class weights (K): w_c multiplies the squared errors of prediction column c.</param>
                /// <param name="sample_weight">Optional per-sample weights (N), finite, ≥ 0, not all 0.</param>
                /// <param name="reduction">Mean (default), Sum, or None (K values).</param>
                /// <returns>A scalar, or K per-class values with <see cref="Reduction.None"/>.</returns>
                /// <exception cref="ArgumentException">A shape, class index or weight is invalid, the batch is empty, or the input holds NaN.</exception>
                public static Tensor mce_loss(
                    Tensor input,
                    Tensor target,
                    EmdInput? input_type = null,
                    Tensor? weight = null,
                    Tensor? sample_weight = null,
                    Reduction reduction = Reduction.Mean) =>
                    LossEngine.Run(new MceDefinition(), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);
            }
        }
    }

    /// <summary>MCE (docs/math.md §21): per-class values, batch-level.</summary>
    internal sealed class MceDefinition : LossDefinition
    {
        public override string Name => "mce_loss";

        public override bool AcceptsDistributions => false;

        public override bool DifferentiatesTarget => false;

        public override bool BatchLevel => true;

        public override FusedKind Fused => FusedKind.Batch;

        // Per-class values (None) are not a scalar: the tensor form gives them.
        public override BatchTerms? BatchTerms(int classes, Reduction reduction) => reduction switch
        {
            Reduction.Mean => new(null, 0.0, false, 1.0 / classes),
            Reduction.Sum => new(null, 0.0, false, 1.0),
            _ => null,
        };

        public override Tensor TensorRows(Tensor input, Tensor target, bool logits) =>
            throw new NotSupportedException($"{Name} is batch-level.");

        public override Tensor BatchLoss(Tensor input, Tensor target, Tensor? weight, Tensor? sampleWeight, Reduction reduction, bool logits)
        {
            using var scope = torch.NewDisposeScope();
            var perClass = PerClass(input, target, weight, sampleWeight, logits);
            var result = reduction switch
            {
                Reduction.Mean => perClass.mean(),
                Reduction.Sum => perClass.sum(),
                _ => perClass,
            };
            return result.MoveToOuterDisposeScope();
        }

        /// <summary>MSE_c, K values.</summary>
        internal static Tensor PerClass(Tensor input, Tensor target, Tensor? weight, Tensor? sampleWeight, bool logits)
        {
            using var scope = torch.NewDisposeScope();
            int classes = (int)input.size(1);
            var p = logits ? input.softmax(1) : input;
            var t = nn.functional.one_hot(target.to(ScalarType.Int64), classes).to(input.dtype);
            var d = t - p;
            var squared = d * d;
            if (weight is not null)
            {
                squared = squared * weight.to(input.dtype).unsqueeze(0);
            }
            Tensor result;
            if (sampleWeight is null)
            {
                result = squared.mean([0L]);
            }
            else
            {
                var s = sampleWeight.to(input.dtype);
                result = (squared * s.unsqueeze(1)).sum(0L) / s.sum();
            }
            return result.MoveToOuterDisposeScope();
        }
    }

    /// <summary>MCE + QWK (dlordinal's MCEAndWKLoss; docs/math.md §21): C · QWK + (1 - C) · MCE(mean), batch-level.</summary>
    internal sealed class MceQwkDefinition : LossDefinition
    {
        /// <summary>dlordinal's C.</summary>
        public const double DefaultC = 0.5;

        private readonly double _c;
        private readonly KappaPenalty _penalty;

        public MceQwkDefinition(double? c, KappaPenalty? penalty)
        {
            _c = CheckC(c ?? DefaultC);
            _penalty = QwkDefinition.CheckPenalty(penalty ?? KappaPenalty.Quadratic);
        }

        internal static double CheckC(double c) =>
            c is >= 0 and <= 1 ? c : throw OrdinalMath.Invalid($"C = {c}; the weight of QWK against MCE must lie in [0, 1].", "C");

        public override string Name => "mce_qwk_loss";

        public override bool AcceptsDistributions => false;

        public override bool DifferentiatesTarget => false;

        public override bool BatchLevel => true;

        public override void CheckReduction(Reduction reduction) => QwkDefinition.RefuseNone(Name, reduction);

        public override FusedKind Fused => FusedKind.Batch;

        public override BatchTerms BatchTerms(int classes, Reduction reduction) =>
            new(QwkDefinition.Penalty(_penalty, classes), _c, false, (1 - _c) / classes);

        public override Tensor TensorRows(Tensor input, Tensor target, bool logits) =>
            throw new NotSupportedException($"{Name} is batch-level.");

        public override Tensor BatchLoss(Tensor input, Tensor target, Tensor? weight, Tensor? sampleWeight, Reduction reduction, bool logits)
        {
            using var scope = torch.NewDisposeScope();
            var qwk = QwkDefinition.Ratio(input, target, weight, sampleWeight, logits, _penalty);
            var mce = MceDefinition.PerClass(input, target, weight, sampleWeight, logits).mean();
            return (_c * qwk + (1 - _c) * mce).MoveToOuterDisposeScope();
        }
    }
}

namespace EarthMover.Modules
{
    /// <summary>MCE as a module: see <see cref="earthmover.nn.functional.mce_loss"/>.</summary>
    public sealed class MCELoss : EarthMoverLoss
    {
        internal MCELoss(EmdInput? inputType, Tensor? weight, Reduction reduction)
            : base(inputType, weight, reduction)
        {
        }

        /// <inheritdoc />
        public override Tensor forward(Tensor input, Tensor target, Tensor? sample_weight) =>
            earthmover.nn.functional.mce_loss(input, target, input_type, weight, sample_weight, reduction);
    }

    /// <summary>MCE + QWK as a module: see <see cref="earthmover.nn.functional.mce_qwk_loss"/>. Options are checked when set.</summary>
    public sealed class MCEQWKLoss : EarthMoverLoss
    {
        private double _c;
        private KappaPenalty _penalty;

        internal MCEQWKLoss(double? c, KappaPenalty? penalty, EmdInput? inputType, Tensor? weight, Reduction reduction)
            : base(inputType, weight, reduction)
        {
            C = c ?? MceQwkDefinition.DefaultC;
            penalization_type = penalty ?? KappaPenalty.Quadratic;
        }

        /// <summary>The weight C ∈ [0, 1] of QWK.</summary>
        public double C { get => _c; set => _c = MceQwkDefinition.CheckC(value); }

        /// <summary>Quadratic or linear penalties.</summary>
        public KappaPenalty penalization_type { get => _penalty; set => _penalty = QwkDefinition.CheckPenalty(value); }

        /// <inheritdoc />
        public override Tensor forward(Tensor input, Tensor target, Tensor? sample_weight) =>
            earthmover.nn.functional.mce_qwk_loss(input, target, _c, _penalty, input_type, weight, sample_weight, reduction);
    }
}

namespace EarthMover
{
    public static partial class earthmover
    {
        public static partial class nn
        {
            /// <summary>MCE + QWK as a module; see <see cref="functional.mce_qwk_loss"/>.</summary>
            /// <param name="C">The weight C ∈ [0, 1] of QWK (default 0.5).</param>
            /// <param name="penalization_type">Quadratic (default) or linear penalties of the QWK part.</param>
            /// <param name="input_type">Logits (default) or probabilities.</param>
            /// <param name="weight">Optional per-class weights (K), given to both parts.</param>
            /// <param name="reduction">Mean or Sum (both the batch value); None is refused.</param>
            public static Modules.MCEQWKLoss MCEQWKLoss(double? C = null, KappaPenalty? penalization_type = null, EmdInput? input_type = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
                new(C, penalization_type, input_type, weight, reduction);

            public static partial class functional
            {
                /// <summary>
                /// MCE + QWK (dlordinal's MCEAndWKLoss; docs/math.md §21): C · <see cref="qwk_loss"/> + (1 - C) ·
                /// <see cref="mce_loss"/> (the mean over classes), with the same class weights in both parts; batch-level.
                /// </summary>
                /// <param name="input">N x K logits (or probabilities).</param>
                /// <param name="target">N class indices in [0, K).</param>
                /// <param name="C">C ∈ [0, 1] (default 0.5).</param>
                /// <param name="penalization_type">Quadratic (default) or linear.</param>
                /// <param name="input_type">Logits (default) or probabilities.</param>
                /// <param name="weight">Optional per-class weights (K).</param>
                /// <param name="sample_weight">Optional per-sample weights (N), finite, ≥ 0, not all 0.</param>
                /// <param name="reduction">Mean (default) or Sum: the batch value; None is refused.</param>
                /// <returns>The loss, a scalar.</returns>
                /// <exception cref="ArgumentException">A shape, class index, weight or option is invalid, the batch is empty, or the input holds NaN.</exception>
                public static Tensor mce_qwk_loss(
                    Tensor input,
                    Tensor target,
                    double? C = null,
                    KappaPenalty? penalization_type = null,
                    EmdInput? input_type = null,
                    Tensor? weight = null,
                    Tensor? sample_weight = null,
                    Reduction reduction = Reduction.Mean) =>
                    LossEngine.Run(new MceQwkDefinition(C, penalization_type), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);
            }
        }
    }
}
