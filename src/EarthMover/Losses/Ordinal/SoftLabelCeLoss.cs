using EarthMover.Kernels.Rows;

namespace EarthMover;

/// <summary>Soft-label cross-entropy (docs/math.md §19).</summary>
internal sealed class SoftLabelCeDefinition : RawRowDefinition
{
    private readonly SoftLabelShape _shape;
    private readonly double _eta;
    private readonly double _smoothing;
    private double[] _targets = [];
    private int _classes;

    public SoftLabelCeDefinition(SoftLabelShape shape, double? eta, double? labelSmoothing)
    {
        ArgumentNullException.ThrowIfNull(shape);
        _shape = shape;
        _eta = Fraction(eta ?? 1.0, "eta");
        _smoothing = Fraction(labelSmoothing ?? 0.0, "label_smoothing");
    }

    public override string Name => "soft_label_ce_loss";

    internal static double Fraction(double value, string parameter) =>
        value is >= 0 and <= 1 ? value : throw OrdinalMath.Invalid($"{parameter} = {value}; it must lie in [0, 1].", parameter);

    public override void CheckClasses(int classes)
    {
        var m = _shape.Matrix(classes);
        if (m.GetLength(0) != classes)
        {
            throw OrdinalMath.Invalid($"shape {_shape} has {m.GetLength(0)} classes but input has {classes}.", "shape");
        }
        _classes = classes;
        _targets = new double[classes * classes];
        for (int y = 0; y < classes; y++)
        {
            for (int k = 0; k < classes; k++)
            {
                double t = (1 - _eta) * (k == y ? 1 : 0) + _eta * m[y, k];
                _targets[y * classes + k] = (1 - _smoothing) * t + _smoothing / classes;
            }
        }
    }

    public override IRawRowKernel? RawRowKernel(int classes, bool logits) => logits ? new SoftTargetKernel(classes, _targets) : null;

    public override Tensor TensorRows(Tensor input, Tensor target, bool logits)
    {
        using var scope = torch.NewDisposeScope();
        var t = torch.tensor(_targets, _classes, _classes, dtype: input.dtype, device: input.device).index_select(0, target.to(ScalarType.Int64));
        if (logits)
        {
            return (t * input.log_softmax(1)).sum(1).neg().MoveToOuterDisposeScope();
        }
        // 0 log 0 = 0: where the target is 0 the probability is replaced by 1 before the log (no 0 · ∞ in backward).
        var positive = t.gt(0);
        var safe = torch.where(positive, input, torch.ones_like(input));
        return (t * safe.log()).sum(1).neg().MoveToOuterDisposeScope();
    }
}

/// <summary>L = Σ_k t_k (lse(z) - z_k), dL/dz = (Σ t) p - t, for the target row of the class (docs/math.md §19).</summary>
internal sealed class SoftTargetKernel(int classes, double[] targets) : IRawRowKernel
{
    public int Classes => classes;

    public long RowCost => 6L * classes;

    public double Row(ReadOnlySpan<double> x, int target, Span<double> gradient)
    {
        var t = new ReadOnlySpan<double>(targets, target * classes, classes);
        double max = double.NegativeInfinity;
        for (int k = 0; k < classes; k++)
        {
            max = Math.Max(max, x[k]);
        }
        double total = 0;
        for (int k = 0; k < classes; k++)
        {
            total += Math.Exp(x[k] - max);
        }
        double lse = max + Math.Log(total);
        double loss = 0, mass = 0;
        for (int k = 0; k < classes; k++)
        {
            loss += t[k] * (lse - x[k]);
            mass += t[k];
        }
        if (!gradient.IsEmpty)
        {
            for (int k = 0; k < classes; k++)
            {
                gradient[k] = mass * Math.Exp(x[k] - lse) - t[k];
            }
        }
        return loss;
    }
}
