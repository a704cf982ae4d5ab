using EarthMover.Kernels.Rows;

namespace EarthMover;

/// <summary>SLACE (docs/math.md §23).</summary>
internal sealed class SlaceDefinition : RawRowDefinition
{
    private readonly double _alpha;
    private int _classes;
    private double[] _q = [];
    private long[] _order = [];
    private long[] _position = [];

    public SlaceDefinition(double alpha)
    {
        _alpha = OrdinalMath.Positive(alpha, "alpha");
    }

    public override string Name => "slace_loss";

    public override void CheckClasses(int classes)
    {
        _classes = classes;
        (_q, _order, _position) = TablesCache.GetOrAdd((_alpha, classes), key => Tables(key.Alpha, key.Classes));
    }

    // The tables depend on (α, K) only: built once, not on every call (K² exponentials at K = 100).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(double Alpha, int Classes), (double[], long[], long[])> TablesCache = new();

    private static (double[] Q, long[] Order, long[] Position) Tables(double alpha, int classes)
    {
        var matrix = SoftLabelShape.Sord(alpha).Matrix(classes);
        var q = new double[classes * classes];
        var order = new long[classes * classes];
        var position = new long[classes * classes];
        for (int y = 0; y < classes; y++)
        {
            // Classes by distance from y (y, y - 1, y + 1, y - 2, ...); position[k]: the last index at k's distance.
            int n = 0;
            for (int d = 0; n < classes; d++)
            {
                if (y - d >= 0)
                {
                    order[y * classes + n++] = y - d;
                }
                if (d > 0 && y + d < classes)
                {
                    order[y * classes + n++] = y + d;
                }
            }
            for (int i = 0; i < classes; i++)
            {
                int k = (int)order[y * classes + i];
                int last = i;
                while (last + 1 < classes && Math.Abs(order[y * classes + last + 1] - y) == Math.Abs(k - y))
                {
                    last++;
                }
                position[y * classes + k] = last;
                q[y * classes + k] = matrix[y, k];
            }
        }
        return (q, order, position);
    }

    public override IRawRowKernel? RawRowKernel(int classes, bool logits) => logits ? new SlaceKernel(classes, _q, _order, _position) : null;

    public override Tensor TensorRows(Tensor input, Tensor target, bool logits)
    {
        using var scope = torch.NewDisposeScope();
        int k = _classes;
        var index = target.to(ScalarType.Int64);
        var order = torch.tensor(_order, k, k, device: input.device).index_select(0, index);
        var position = torch.tensor(_position, k, k, device: input.device).index_select(0, index);
        var q = torch.tensor(_q, k, k, dtype: input.dtype, device: input.device).index_select(0, index);
        // Probabilities below 10⁻³⁰ are raised to it before the log (no 0 · ∞ in the backward pass).
        var logp = logits ? input.log_softmax(1) : input.clamp_min(1e-30).log();
        var accumulated = logp.gather(1, order).logcumsumexp(1).gather(1, position);
        return (q * accumulated).sum(1).neg().MoveToOuterDisposeScope();
    }
}

/// <summary>
/// SLACE for one row of logits (docs/math.md §23): the log of the mass within each distance d of the target,
/// LA(d), by a running logsumexp, L = -Σ_k q_k (LA(d_k) - lse), and dL/dz_j = (Σq) p_j - e^{z_j - LA(d_j)} R(d_j) with
/// R(d) = Q(d) + e^{LA(d) - LA(d + 1)} R(d + 1), Q(d) the target mass at distance d.
/// </summary>
internal sealed class SlaceKernel(int classes, double[] q, long[] order, long[] position) : IRawRowKernel
{
    [ThreadStatic]
    private static double[]? _work;

    public int Classes => classes;

    public long RowCost => 10L * classes;

    public double Row(ReadOnlySpan<double> z, int target, Span<double> gradient)
    {
        var work = _work is { } w0 && w0.Length >= 2 * classes ? w0 : (_work = new double[2 * classes]);
        var la = work.AsSpan(0, classes);
        var r = work.AsSpan(classes, classes);
        int baseIndex = target * classes;
        // Running logsumexp in the order of distance; la[i] = log of the mass of the first i + 1 classes.
        double runMax = double.NegativeInfinity, runSum = 0;
        for (int i = 0; i < classes; i++)
        {
            double v = z[(int)order[baseIndex + i]];
            if (v > runMax)
            {
                runSum = runSum * Math.Exp(runMax - v) + 1;
                runMax = v;
            }
            else
            {
                runSum += Math.Exp(v - runMax);
            }
            la[i] = runMax + Math.Log(runSum);
        }
        double lse = la[classes - 1];
        double loss = 0, mass = 0;
        for (int k = 0; k < classes; k++)
        {
            double qk = q[baseIndex + k];
            loss -= qk * (la[(int)position[baseIndex + k]] - lse);
            mass += qk;
        }
        if (!gradient.IsEmpty)
        {
            // R over the order positions that close a distance group, from the farthest group inwards.
            double next = 0, nextLa = 0;
            bool hasNext = false;
            for (int i = classes - 1; i >= 0; i--)
            {
                int k = (int)order[baseIndex + i];
                int last = (int)position[baseIndex + k];
                if (last != i)
                {
                    continue;
                }
                // Q(d): the target mass of this group (one or two classes ending at position i).
                double group = q[baseIndex + k];
                if (i > 0 && position[baseIndex + order[baseIndex + i - 1]] == i)
                {
                    group += q[baseIndex + order[baseIndex + i - 1]];
                }
                double value = group + (hasNext ? Math.Exp(la[i] - nextLa) * next : 0);
                r[i] = value;
                next = value;
                nextLa = la[i];
                hasNext = true;
            }
            for (int j = 0; j < classes; j++)
            {
                int last = (int)position[baseIndex + j];
                gradient[j] = mass * Math.Exp(z[j] - lse) - Math.Exp(z[j] - la[last]) * r[last];
            }
        }
        return loss;
    }
}
