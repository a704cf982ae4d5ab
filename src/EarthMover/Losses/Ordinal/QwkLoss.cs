using EarthMover.Engine;
using EarthMover.Losses.Ordinal;

namespace EarthMover;

/// <summary>The penalty ω_ij of the weighted kappa (docs/math.md §20).</summary>
public enum KappaPenalty
{
    /// <summary>ω_ij = (i - j)²/(K - 1)² (quadratic weighted kappa; the default).</summary>
    Quadratic,

    /// <summary>ω_ij = |i - j|/(K - 1).</summary>
    Linear,
}

public static partial class earthmover
{
    public static partial class nn
    {
        /// <summary>The weighted-kappa loss as a module; see <see cref="functional.qwk_loss"/>.</summary>
        /// <param name="penalization_type">Quadratic (default) or linear penalties.</param>
        /// <param name="use_logarithm">Return log(L + ε) (de la Torre et al.'s original form).</param>
        /// <param name="input_type">Logits (default) or probabilities.</param>
        /// <param name="weight">Optional per-class weights (K), multiplying the penalty column of the true class.</param>
        /// <param name="reduction">Mean or Sum (both the batch value); None is refused.</param>
        public static Modules.QWKLoss QWKLoss(KappaPenalty? penalization_type = null, bool? use_logarithm = null, EmdInput? input_type = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
            new(penalization_type, use_logarithm, input_type, weight, reduction);

        public static partial class functional
        {
            /// <summary>
            /// The weighted-kappa loss (de la Torre, Puig and Valls 2018, as dlordinal's WKLoss; docs/math.md §20), a
            /// batch-level ratio: with p_n = softmax(z_n), one-hot t_n, sample weights s_n and S = Σ s_n,
            /// L = Σ_ij ω_ij O_ij / (Σ_ij ω_ij a_i b_j / S + ε), O = Σ_n s_n p_n t_nᵀ, a = Σ_n s_n p_n, b = Σ_n s_n t_n,
            /// ε = 10⁻¹⁰ (1 - κ_w for soft predictions, in [0, 2]); log(L + ε) with <paramref name="use_logarithm"/>.
            /// Float32 and float64 alike. A batch of one class gives L ≈ 1 and almost no gradient.
            /// </summary>
            /// <param name="input">N x K logits (or probabilities).</param>
            /// <param name="target">N class indices in [0, K).</param>
            /// <param name="penalization_type">Quadratic (default) or linear.</param>
            /// <param name="use_logarithm">Whether to return log(L + ε) (default false).</param>
            /// <param name="input_type">Logits (default) or probabilities.</param>
            /// <param name="weight">Optional per-class weights (K): ω_ij w_j, the column of the true class (dlordinal).</param>
            /// <param name="sample_weight">Optional per-sample weights (N), finite, ≥ 0, not all 0: integer weights equal repeated rows.</param>
            /// <param name="reduction">Mean (default) or Sum: the batch value either way; None is refused (there are no per-sample values).</param>
            /// <returns>The loss, a scalar.</returns>
            /// <exception cref="ArgumentException">A shape, class index, weight or option is invalid, the batch is empty, or the input holds NaN.</exception>
            public static Tensor qwk_loss(
                Tensor input,
                Tensor target,
                KappaPenalty? penalization_type = null,
                bool? use_logarithm = null,
                EmdInput? input_type = null,
                Tensor? weight = null,
                Tensor? sample_weight = null,
                Reduction reduction = Reduction.Mean) =>
                LossEngine.Run(new QwkDefinition(penalization_type, use_logarithm), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);
        }
    }
}

/// <summary>The weighted-kappa loss (docs/math.md §20): batch-level.</summary>
internal sealed class QwkDefinition : LossDefinition
{
    /// <summary>dlordinal's ε.</summary>
    public const double Epsilon = 1e-10;

    private readonly KappaPenalty _penalty;
    private readonly bool _logarithm;

    public QwkDefinition(KappaPenalty? penalty, bool? logarithm)
    {
        _penalty = CheckPenalty(penalty ?? KappaPenalty.Quadratic);
        _logarithm = logarithm ?? false;
    }

    public override string Name => "qwk_loss";

    public override bool AcceptsDistributions => false;

    public override bool DifferentiatesTarget => false;

    public override bool BatchLevel => true;

    internal static KappaPenalty CheckPenalty(KappaPenalty penalty) =>
        Enum.IsDefined(penalty) ? penalty : throw OrdinalMath.Invalid($"penalization_type = {penalty} is not a KappaPenalty value.", "penalization_type");

    internal static void RefuseNone(string name, Reduction reduction)
    {
        if (reduction == Reduction.None)
        {
            throw OrdinalMath.Invalid($"{name} is a batch-level ratio with no per-sample values: Reduction.None is not defined; use Mean (or Sum, the same batch value).", "reduction");
        }
    }

    public override void CheckReduction(Reduction reduction) => RefuseNone(Name, reduction);

    public override FusedKind Fused => FusedKind.Batch;

    public override BatchTerms BatchTerms(int classes, Reduction reduction) => new(Penalty(_penalty, classes), 1.0, _logarithm, 0.0);

    // ω_ij = (|i - j| / (K - 1))^1 or ^2, K x K: depends on (penalty, K) only, built once.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(KappaPenalty, int), double[]> Penalties = new();

    /// <summary>The penalty matrix ω, row-major, as <see cref="Ratio"/> builds it.</summary>
    internal static double[] Penalty(KappaPenalty penalty, int classes) =>
        Penalties.GetOrAdd((penalty, classes), key =>
        {
            var omega = new double[key.Item2 * key.Item2];
            for (int i = 0; i < key.Item2; i++)
            {
                for (int j = 0; j < key.Item2; j++)
                {
                    double d = Math.Abs(i - j) / (double)(key.Item2 - 1);
                    omega[i * key.Item2 + j] = key.Item1 == KappaPenalty.Linear ? d : d * d;
                }
            }
            return omega;
        });

    public override Tensor TensorRows(Tensor input, Tensor target, bool logits) =>
        throw new NotSupportedException($"{Name} is batch-level.");

    public override Tensor BatchLoss(Tensor input, Tensor target, Tensor? weight, Tensor? sampleWeight, Reduction reduction, bool logits)
    {
        var ratio = Ratio(input, target, weight, sampleWeight, logits, _penalty);
        return _logarithm ? (ratio + Epsilon).log() : ratio;
    }

    /// <summary>The penalty-weighted confusion over its expectation under independence (no log).</summary>
    internal static Tensor Ratio(Tensor input, Tensor target, Tensor? weight, Tensor? sampleWeight, bool logits, KappaPenalty penalty)
    {
        using var scope = torch.NewDisposeScope();
        int classes = (int)input.size(1);
        var p = logits ? input.softmax(1) : input;
        var index = target.to(ScalarType.Int64);
        var i = torch.arange(classes, dtype: input.dtype, device: input.device);
        var d = (i.unsqueeze(1) - i.unsqueeze(0)).abs() / (classes - 1);
        var omega = penalty == KappaPenalty.Linear ? d : d * d;
        if (weight is not null)
        {
            omega = omega * weight.to(input.dtype).unsqueeze(0);
        }
        var s = sampleWeight?.to(input.dtype) ?? torch.ones(input.size(0), dtype: input.dtype, device: input.device);
        var sp = p * s.unsqueeze(1);
        // Σ_ij ω_ij O_ij = Σ_n s_n Σ_i p_ni ω_{i, y_n}: the column of ω of each sample's class.
        var numerator = (sp * omega.t().index_select(0, index)).sum();
        var a = sp.sum(0L);
        var b = torch.zeros(classes, dtype: input.dtype, device: input.device).index_add(0, index, s, 1.0);
        var denominator = a.matmul(omega).matmul(b) / s.sum();
        return (numerator / (denominator + Epsilon)).MoveToOuterDisposeScope();
    }
}
