using EarthMover.Kernels.Rows;

namespace EarthMover;

/// <summary>CDW-CE (docs/math.md §22).</summary>
internal sealed class CdwCeDefinition : RawRowDefinition
{
    /// <summary>dlordinal's default α.</summary>
    public const double DefaultAlpha = 0.5;

    private readonly double _alpha;

    public CdwCeDefinition(double? alpha)
    {
        _alpha = OrdinalMath.Positive(alpha ?? DefaultAlpha, "alpha");
    }

    public override string Name => "cdw_ce_loss";

    public override IRawRowKernel? RawRowKernel(int classes, bool logits) => logits ? new CdwCeKernel(classes, _alpha) : null;

    /// <summary>|j - y|^α, N x K (0 at the true class).</summary>
    private Tensor Penalties(Tensor target, int classes, Tensor like)
    {
        using var scope = torch.NewDisposeScope();
        var k = torch.arange(classes, dtype: like.dtype, device: like.device).unsqueeze(0);
        var d = (k - target.to(like.dtype).unsqueeze(1)).abs();
        return d.pow(_alpha).MoveToOuterDisposeScope();
    }

    public override Tensor TensorRows(Tensor input, Tensor target, bool logits)
    {
        using var scope = torch.NewDisposeScope();
        int classes = (int)input.size(1);
        Tensor log1m;
        if (logits)
        {
            // log(1 - p_j): log1p(-p_j) where p_j ≤ 1/2 (every class but the argmax), and at the argmax the exact
            // logsumexp of the other logits minus logsumexp of all (no cancellation when p_j → 1).
            var top = nn.functional.one_hot(input.argmax(1), classes).to(ScalarType.Bool);
            var lse = input.logsumexp(1, keepdim: true);
            var p = (input - lse).exp();
            var others = torch.where(top, torch.full_like(input, double.NegativeInfinity), input).logsumexp(1, keepdim: true) - lse;
            var rest = torch.where(top, torch.zeros_like(p), p).neg().log1p();
            log1m = torch.where(top, others.expand_as(input), rest);
        }
        else
        {
            // 1 - p_j, with p_j = 1 exactly replaced before the log (its penalty is then infinite only if the
            // class is wrong; the where keeps 0 · ∞ out of the backward pass).
            var q = (1 - input).clamp_min(0);
            var zero = q.le(0);
            log1m = torch.where(zero, torch.full_like(q, double.NegativeInfinity), torch.where(zero, torch.ones_like(q), q).log());
        }
        var w = Penalties(target, classes, input);
        var terms = torch.where(w.gt(0), w * log1m, torch.zeros_like(log1m));
        return terms.sum(1).neg().MoveToOuterDisposeScope();
    }
}

/// <summary>
/// CDW-CE for one row of logits (docs/math.md §22): with l_j = logsumexp_{k≠j} z_k and lse = logsumexp z,
/// L = -Σ_{j≠y} w_j (l_j - lse), dL/dz_m = W p_m - Σ_{j≠y, j≠m} w_j e^{z_m - l_j}, W = Σ_j w_j. Every l_j is taken
/// relative to the largest logit (≥ 1 in those units, no cancellation) except at the argmax, where it is taken
/// relative to the second largest.
/// </summary>
internal sealed class CdwCeKernel : IRawRowKernel
{
    [ThreadStatic]
    private static double[]? _work;

    private readonly int _classes;
    private readonly double[] _penalty;

    public CdwCeKernel(int classes, double alpha)
    {
        _classes = classes;
        // |j - y|^α by distance: no power per row.
        _penalty = new double[classes];
        for (int d = 1; d < classes; d++)
        {
            _penalty[d] = Math.Pow(d, alpha);
        }
    }

    public int Classes => _classes;

    public long RowCost => 8L * _classes;

    public double Row(ReadOnlySpan<double> z, int target, Span<double> gradient)
    {
        int classes = _classes;
        var work = _work is { } w0 && w0.Length >= 2 * classes ? w0 : (_work = new double[2 * classes]);
        var e = work.AsSpan(0, classes);
        var s = work.AsSpan(classes, classes);
        int top = 0;
        for (int k = 1; k < classes; k++)
        {
            if (z[k] > z[top])
            {
                top = k;
            }
        }
        double max = z[top];
        double total = 0, others = 0;
        for (int k = 0; k < classes; k++)
        {
            e[k] = Math.Exp(z[k] - max);
            total += e[k];
            others += k == top ? 0 : e[k];
        }
        if (!(others >= 1e-290))
        {
            return Extreme(z, target, gradient, top, max, total);
        }
        // S_j = Σ_{k≠j} e_k in units of e^max: total - e_j ≥ 1 off the argmax (no cancellation), summed directly at it.
        double loss = 0, weights = 0, sum = 0;
        for (int j = 0; j < classes; j++)
        {
            s[j] = j == top ? others : total - e[j];
            if (j == target)
            {
                continue;
            }
            double wj = _penalty[Math.Abs(j - target)];
            loss -= wj * Math.Log(s[j] / total);
            weights += wj;
            if (j != top)
            {
                sum += wj / s[j];
            }
        }
        if (!gradient.IsEmpty)
        {
            // dL/dz_m = W p_m - e_m Σ_{j≠y, j≠m} w_j / S_j, the argmax's term (S small) kept apart from the others (S ≥ 1).
            double wTop = top == target ? 0 : _penalty[Math.Abs(top - target)];
            for (int m = 0; m < classes; m++)
            {
                double own = m == target || m == top ? 0 : _penalty[Math.Abs(m - target)] / s[m];
                double g = e[m] * (weights / total - (sum - own));
                if (m != top)
                {
                    g -= wTop * (e[m] / others);
                }
                gradient[m] = g;
            }
        }
        return loss;
    }

    /// <summary>The other logits are all more than about 667 below the largest: every l_j relative to the second largest at the argmax.</summary>
    private double Extreme(ReadOnlySpan<double> z, int target, Span<double> gradient, int top, double max, double total)
    {
        int classes = _classes;
        var e = _work!.AsSpan(0, classes);
        var l = _work!.AsSpan(classes, classes);
        double second = double.NegativeInfinity;
        for (int k = 0; k < classes; k++)
        {
            if (k != top)
            {
                second = Math.Max(second, z[k]);
            }
        }
        double othersOfTop = 0;
        for (int k = 0; k < classes; k++)
        {
            if (k != top)
            {
                othersOfTop += Math.Exp(z[k] - second);
            }
        }
        double lse = max + Math.Log(total);
        double loss = 0, weights = 0, sum = 0;
        for (int j = 0; j < classes; j++)
        {
            if (j == target)
            {
                continue;
            }
            double wj = _penalty[Math.Abs(j - target)];
            l[j] = j == top ? second + Math.Log(othersOfTop) : max + Math.Log(total - e[j]);
            loss -= wj * (l[j] - lse);
            weights += wj;
            if (j != top)
            {
                sum += wj * Math.Exp(max - l[j]);
            }
        }
        if (!gradient.IsEmpty)
        {
            double wTop = top == target ? 0 : _penalty[Math.Abs(top - target)];
            for (int m = 0; m < classes; m++)
            {
                double s = sum;
                if (m != target && m != top)
                {
                    s -= _penalty[Math.Abs(m - target)] * Math.Exp(max - l[m]);
                }
                double g = weights * Math.Exp(z[m] - lse) - e[m] * s;
                if (m != top && wTop != 0)
                {
                    g -= wTop * Math.Exp(z[m] - l[top]);
                }
                gradient[m] = g;
            }
        }
        return loss;
    }
}
