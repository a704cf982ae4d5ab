namespace EarthMover;

/// <summary>The penalty ω_ij of the weighted kappa (docs/math.md §20).</summary>
public enum KappaPenalty
{
    /// <summary>ω_ij = (i - j)²/(K - 1)² (quadratic weighted kappa; the default).</summary>
    Quadratic,

    /// <summary>ω_ij = |i - j|/(K - 1).</summary>
    Linear,
}

/// <summary>The weighted-kappa loss (docs/math.md §20): batch-level.</summary>
internal sealed class QwkDefinition : BatchDefinition
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
