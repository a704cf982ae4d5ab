namespace EarthMover;

/// <summary>MCE (docs/math.md §21): per-class values, batch-level.</summary>
internal sealed class MceDefinition : BatchDefinition
{
    public override string Name => "mce_loss";

    public override FusedKind Fused => FusedKind.Batch;

    // Per-class values (None) are not a scalar: the tensor form gives them.
    public override BatchTerms? BatchTerms(int classes, Reduction reduction) => reduction switch
    {
        Reduction.Mean => new(null, 0.0, false, 1.0 / classes),
        Reduction.Sum => new(null, 0.0, false, 1.0),
        _ => null,
    };

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
internal sealed class MceQwkDefinition : BatchDefinition
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

    public override void CheckReduction(Reduction reduction) => QwkDefinition.RefuseNone(Name, reduction);

    public override FusedKind Fused => FusedKind.Batch;

    public override BatchTerms BatchTerms(int classes, Reduction reduction) =>
        new(QwkDefinition.Penalty(_penalty, classes), _c, false, (1 - _c) / classes);

    public override Tensor BatchLoss(Tensor input, Tensor target, Tensor? weight, Tensor? sampleWeight, Reduction reduction, bool logits)
    {
        using var scope = torch.NewDisposeScope();
        var qwk = QwkDefinition.Ratio(input, target, weight, sampleWeight, logits, _penalty);
        var mce = MceDefinition.PerClass(input, target, weight, sampleWeight, logits).mean();
        return (_c * qwk + (1 - _c) * mce).MoveToOuterDisposeScope();
    }
}
