namespace EarthMover.Kernels.Rows;

/// <summary>
/// The q-Wasserstein distance between two distributions on ordered positions x, through the quantile
/// (monotone) coupling, which is optimal for the convex cost |x_i - x_j|^q, q ≥ 1 (docs/math.md
/// §13): W_q^q = ∫_0^1 |x_{F_p^-1(u)} - x_{F_t^-1(u)}|^q du. One merge of the two cumulative
/// distributions per row, O(C).
/// </summary>
/// <remarks>
/// The merge walks a staircase of cells (i, j) from (0, 0) to (C-1, C-1), one index forward at a time (the
/// one whose cumulative mass ends first; on a tie the prediction's), and the cell's mass is the overlap of
/// the intervals (P_{i-1}, P_i] and (T_{j-1}, T_j]. Potentials along the staircase, f_i + g_j = c_ij, are
/// an optimal dual for this cost (its matrix is a Monge matrix), so f is the gradient with respect to p,
/// also at classes of zero mass, which the walk visits with zero flow.
/// </remarks>
internal sealed class LineWassersteinKernel : IRowKernel
{
    [ThreadStatic]
    private static double[]? _buffer;

    private readonly double[] _positions;
    private readonly double _exponent;
    private readonly bool _root;

    public LineWassersteinKernel(double[] positions, double exponent, bool root)
    {
        _positions = positions;
        _exponent = exponent;
        _root = root;
        Classes = positions.Length;
    }

    public int Classes { get; }

    public bool AcceptsSoftTargets => true;

    public long RowCost => 8L * Classes;

    public double Row(ReadOnlySpan<double> p, ReadOnlySpan<double> target, int targetIndex, Span<double> gradient)
    {
        int c = Classes;
        var buffer = _buffer;
        if (buffer is null || buffer.Length < 3 * c)
        {
            buffer = new double[3 * c];
            _buffer = buffer;
        }
        var cp = buffer.AsSpan(0, c);
        var ct = buffer.AsSpan(c, c);
        var g = buffer.AsSpan(2 * c, c);
        double sp = 0, st = 0;
        for (int k = 0; k < c; k++)
        {
            sp += p[k];
            st += target.IsEmpty ? (k == targetIndex ? 1 : 0) : target[k];
        }
        double ap = 0, at = 0;
        for (int k = 0; k < c; k++)
        {
            ap += p[k];
            at += target.IsEmpty ? (k == targetIndex ? 1 : 0) : target[k];
            cp[k] = ap / sp;
            ct[k] = at / st;
        }
        // Both end at exactly 1, so the walk ends at (C-1, C-1) with every mass placed.
        cp[c - 1] = 1;
        ct[c - 1] = 1;

        int i = 0, j = 0;
        double value = Overlap(cp, ct, 0, 0) * Cost(0, 0);
        bool needGrad = !gradient.IsEmpty;
        if (needGrad)
        {
            gradient[0] = 0;
            g[0] = Cost(0, 0);
        }
        while (i < c - 1 || j < c - 1)
        {
            bool advanceRow = j == c - 1 || (i < c - 1 && cp[i] <= ct[j]);
            if (advanceRow)
            {
                i++;
            }
            else
            {
                j++;
            }
            double cost = Cost(i, j);
            value += Overlap(cp, ct, i, j) * cost;
            if (needGrad)
            {
                if (advanceRow)
                {
                    gradient[i] = cost - g[j];
                }
                else
                {
                    g[j] = cost - gradient[i];
                }
            }
        }
        if (!_root || _exponent == 1)
        {
            return value;
        }
        double rooted = Math.Pow(value, 1 / _exponent);
        if (needGrad)
        {
            // d(W^(1/q))/dp = W^(1/q - 1) / q · dW/dp; taken as 0 where W = 0 (the subgradient), not ∞.
            double factor = value > 0 ? rooted / (_exponent * value) : 0;
            for (int k = 0; k < c; k++)
            {
                gradient[k] *= factor;
            }
        }
        return rooted;
    }

    private static double Overlap(Span<double> cp, Span<double> ct, int i, int j)
    {
        double low = Math.Max(i > 0 ? cp[i - 1] : 0, j > 0 ? ct[j - 1] : 0);
        double high = Math.Min(cp[i], ct[j]);
        return Math.Max(0, high - low);
    }

    private double Cost(int i, int j)
    {
        double d = Math.Abs(_positions[i] - _positions[j]);
        return _exponent switch
        {
            1 => d,
            2 => d * d,
            _ => Math.Pow(d, _exponent),
        };
    }
}
