namespace EarthMover.Losses.Ordinal;

/// <summary>Scalar and tensor helpers shared by the ordinal losses (docs/math.md §15-§24).</summary>
internal static class OrdinalMath
{
    /// <summary>An <see cref="ArgumentException"/> naming <paramref name="parameter"/> (an option's public name).</summary>
    public static ArgumentException Invalid(string message, string parameter) => new(message, parameter);

    /// <summary>log(1 + e^z), exact for every finite z.</summary>
    public static double Softplus(double z) => Math.Max(z, 0) + LogOnePlus(Math.Exp(-Math.Abs(z)));

    /// <summary>
    /// log(1 + x) for x ≥ 0 to double rounding relative to the result, also for x far below 1e-16 where 1 + x rounds
    /// to 1 (Goldberg's log(u) · x / (u - 1), u = 1 + x rounded; .NET's <c>double.LogP1</c> is log(x + 1)).
    /// </summary>
    public static double LogOnePlus(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    /// <summary>
    /// The binary cross-entropy terms softplus(z) - ℓz of threshold logits, N x (K - 1): softplus(-z) where ℓ = 1,
    /// softplus(z) where ℓ = 0 (equal, but without subtracting z from softplus(z) ≈ z: a confident right answer keeps
    /// its tiny loss, to rounding relative to it).
    /// </summary>
    public static Tensor ThresholdTerms(Tensor z, Tensor target, int classes)
    {
        using var scope = torch.NewDisposeScope();
        return torch.where(Above(target, classes, z.device), Softplus(z.neg()), Softplus(z)).MoveToOuterDisposeScope();
    }

    /// <summary>σ(z) - ℓ of threshold logits, N x (K - 1): -σ(-z) where ℓ = 1 (no cancellation where σ(z) is near 1).</summary>
    public static Tensor ThresholdResiduals(Tensor z, Tensor target, int classes)
    {
        using var scope = torch.NewDisposeScope();
        return torch.where(Above(target, classes, z.device), torch.sigmoid(z.neg()).neg(), torch.sigmoid(z)).MoveToOuterDisposeScope();
    }

    // [y_i > q] as a mask, N x (K - 1).
    private static Tensor Above(Tensor target, int classes, Device device)
    {
        using var scope = torch.NewDisposeScope();
        var q = torch.arange(classes - 1, dtype: ScalarType.Int64, device: device);
        return target.to(ScalarType.Int64).unsqueeze(1).gt(q.unsqueeze(0)).MoveToOuterDisposeScope();
    }

    /// <summary>softplus(z) = -log σ(-z) by tensor operations: exact for large z (torch's softplus switches to z above 20), twice differentiable.</summary>
    public static Tensor Softplus(Tensor z) => nn.functional.logsigmoid(z.neg()).neg();

    /// <summary>The levels ℓ_iq = [y_i &gt; q], N x (K - 1), of <paramref name="dtype"/>.</summary>
    public static Tensor Levels(Tensor target, int classes, ScalarType dtype, Device device)
    {
        using var scope = torch.NewDisposeScope();
        return Above(target, classes, device).to(dtype).MoveToOuterDisposeScope();
    }

    /// <summary>A list of finite values ≥ 0 (a copy), or null; the name of the option in errors.</summary>
    public static double[]? NonNegative(IReadOnlyList<double>? values, string parameter)
    {
        if (values is null)
        {
            return null;
        }
        var copy = values.ToArray();
        for (int i = 0; i < copy.Length; i++)
        {
            if (!(copy[i] >= 0) || double.IsInfinity(copy[i]))
            {
                throw new ArgumentException($"{parameter}[{i}] = {copy[i]}; it must be finite and >= 0.", parameter);
            }
        }
        return copy;
    }

    /// <summary>A finite value &gt; 0 (or ≥ 0 where <paramref name="zeroAllowed"/>); returns it.</summary>
    public static double Positive(double value, string parameter, bool zeroAllowed = false)
    {
        bool ok = double.IsFinite(value) && (zeroAllowed ? value >= 0 : value > 0);
        if (!ok)
        {
            throw new ArgumentException($"{parameter} = {value}; it must be finite and {(zeroAllowed ? ">= 0" : "> 0")}.", parameter);
        }
        return value;
    }
}

/// <summary>
/// What the ordinal losses share (docs/math.md §15-§24): class-index targets only (no target distributions), so
/// the target is never differentiated.
/// </summary>
internal abstract class ClassIndexDefinition : LossDefinition
{
    public override bool AcceptsDistributions => false;

    public override bool DifferentiatesTarget => false;
}

/// <summary>An ordinal loss with a raw-row kernel (<see cref="FusedKind.RawRow"/>): the threshold models, SLACE, CDW-CE, the soft-label cross-entropy.</summary>
internal abstract class RawRowDefinition : ClassIndexDefinition
{
    public override FusedKind Fused => FusedKind.RawRow;
}

/// <summary>
/// An ordinal loss that is a quantity of the whole batch (QWK, MCE; <see cref="LossDefinition.BatchLevel"/>): its
/// result comes from <see cref="LossDefinition.BatchLoss"/>, never from per-row losses.
/// </summary>
internal abstract class BatchDefinition : ClassIndexDefinition
{
    public override bool BatchLevel => true;

    public override Tensor TensorRows(Tensor input, Tensor target, bool logits) =>
        throw new NotSupportedException($"{Name} is batch-level.");
}

/// <summary>
/// What the threshold models share (CORAL, CORN, logistic all-threshold; docs/math.md §16-§18): K - 1 raw
/// outputs per sample, class-index targets, logits only, a raw-row kernel.
/// </summary>
internal abstract class ThresholdDefinition : RawRowDefinition
{
    public override bool AcceptsProbabilities => false;

    public override int ClassesOf(int inputWidth) => inputWidth + 1;

    public override int InputWidth(int classes) => classes - 1;
}
