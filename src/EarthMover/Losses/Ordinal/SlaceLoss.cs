using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EarthMover.Kernels.Rows;

namespace EarthMover;

/// <summary>
/// SLACE's tables for (α, K), K x K each, row y for target y: <paramref name="Q"/> the SORD target, <paramref name="Order"/>
/// the classes by distance from y, <paramref name="Position"/> a class's last index at its distance in that order,
/// <paramref name="Groups"/> the target mass at each distance; <paramref name="Single"/> those of the float32 rows.
/// </summary>
internal sealed record SlaceTables(double[] Q, long[] Order, long[] Position, double[] Groups, SlaceSingleTables Single)
{
    /// <summary>No classes yet.</summary>
    public static SlaceTables Empty { get; } = new([], [], [], [], SlaceSingleTables.From([], 0));
}

/// <summary>SLACE (docs/math.md §23).</summary>
internal sealed class SlaceDefinition : RawRowDefinition
{
    private readonly double _alpha;
    private int _classes;
    private SlaceTables _tables = SlaceTables.Empty;

    public SlaceDefinition(double alpha)
    {
        _alpha = OrdinalMath.Positive(alpha, "alpha");
    }

    public override string Name => "slace_loss";

    public override void CheckClasses(int classes)
    {
        _classes = classes;
        _tables = TablesCache.GetOrAdd((_alpha, classes), key => Tables(key.Alpha, key.Classes));
    }

    // The tables depend on (α, K) only: built once, not on every call (K² exponentials at K = 100).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(double Alpha, int Classes), SlaceTables> TablesCache = new();

    private static SlaceTables Tables(double alpha, int classes)
    {
        // groups[y, d]: the target mass at distance d from y (classes y - d and y + d).
        var groups = new double[classes * classes];
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
                groups[y * classes + Math.Abs(k - y)] += matrix[y, k];
            }
        }
        return new(q, order, position, groups, SlaceSingleTables.From(groups, classes));
    }

    public override IRawRowKernel? RawRowKernel(int classes, bool logits) => logits ? (RowVectors.BlockLanesFor(classes) == 8 ? new SlaceKernel<Lanes512>(classes, _tables) : new SlaceKernel<Lanes256>(classes, _tables)) : null;

    public override Tensor TensorRows(Tensor input, Tensor target, bool logits)
    {
        using var scope = torch.NewDisposeScope();
        int k = _classes;
        var index = target.to(ScalarType.Int64);
        var order = torch.tensor(_tables.Order, k, k, device: input.device).index_select(0, index);
        var position = torch.tensor(_tables.Position, k, k, device: input.device).index_select(0, index);
        var q = torch.tensor(_tables.Q, k, k, dtype: input.dtype, device: input.device).index_select(0, index);
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
/// <typeparam name="TB">The lanes of a block (<see cref="RowVectors.BlockLanesFor"/>), chosen where the kernel is built.</typeparam>
internal sealed partial class SlaceKernel<TB>(int classes, SlaceTables tables, bool single = false) : IRawRowKernel
    where TB : struct, ILanes<TB>
{
    private readonly double[] q = tables.Q;
    private readonly long[] order = tables.Order;
    private readonly long[] position = tables.Position;
    private readonly double[] groups = tables.Groups;
    private readonly SlaceSingleTables singleTables = tables.Single;

    /// <summary>
    /// The smallest target term e^(z_y - max) a row of float32 logits takes with single-precision exponentials: those
    /// flush to 0 below e^-87, which beside C ≥ 1e-30 changes no sum by more than 2e-8 relative.
    /// </summary>
    private const double SingleFloor = 1e-30;

    [ThreadStatic]
    private static double[]? _work;

    public int Classes => classes;

    public long RowCost => 10L * classes;

    public int BlockLanes { get; } = RowVectors.BlockLanesFor(classes);

    // Rows of at least 8 float32 logits: their exponentials in single precision (the blocks keep double).
    public IRawRowKernel ForSingle() => new SlaceKernel<TB>(classes, tables, single: classes >= 8 && SingleExp.IsSupported);

    /// <summary>
    /// The rows of a block, one per lane, as <see cref="Vectors{TL}"/> computes a row: e_k one exponential per class;
    /// C_d, Q_d each lane's own (distances from its own target), distance-major, a lane's C kept at its total past its
    /// farthest distance (where Q is 0, adding nothing); the logarithms, ρ and its suffix sums a distance at a time.
    /// False where a row's target term underflows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Block(ReadOnlySpan<double> x, ReadOnlySpan<int> rows, Span<double> gradient, Span<double> losses)
    {
        int lanes = TB.Count;
        int size = classes * lanes;
        var work = _work is { } w0 && w0.Length >= 3 * size + lanes ? w0 : (_work = new double[3 * size + lanes]);
        ref double x0 = ref MemoryMarshal.GetReference(x);
        ref double e0 = ref work[0];
        ref double c0 = ref work[size];
        ref double r0 = ref work[2 * size];
        var max = TB.Load(ref x0, 0);
        for (int k = 1; k < classes; k++)
        {
            max = TB.Max(max, TB.Load(ref x0, k * lanes));
        }
        for (int k = 0; k < classes; k++)
        {
            TB.Exp(TB.Load(ref x0, k * lanes) - max).Store(ref e0, k * lanes);
        }
        for (int r = 0; r < lanes; r++)
        {
            int y = rows[r];
            double running = work[y * lanes + r];
            if (!(running >= 1e-290))
            {
                return false;
            }
            work[size + r] = running;
            work[2 * size + r] = groups[y * classes];
            for (int d = 1; d < classes; d++)
            {
                running += (y - d >= 0 ? work[(y - d) * lanes + r] : 0) + (y + d < classes ? work[(y + d) * lanes + r] : 0);
                work[size + d * lanes + r] = running;
                work[2 * size + d * lanes + r] = groups[y * classes + d];
            }
        }
        TB dot = TB.Zero, mass = TB.Zero;
        for (int d = 0; d < classes; d++)
        {
            var cd = TB.Load(ref c0, d * lanes);
            var qd = TB.Load(ref r0, d * lanes);
            dot += qd * TB.Log(cd);
            mass += qd;
            (qd * TB.Reciprocal(cd)).Store(ref r0, d * lanes);
        }
        var total = TB.Load(ref c0, (classes - 1) * lanes);
        (mass * TB.Log(total) - dot).Store(ref MemoryMarshal.GetReference(losses), 0);
        if (!gradient.IsEmpty)
        {
            // ρ_d = Σ_{d' ≥ d} Q_d' / C_d', then dL/dz_k = e_k (Σq / C_last - ρ_|k-y|) lane by lane.
            var suffix = TB.Zero;
            for (int d = classes - 1; d >= 0; d--)
            {
                suffix += TB.Load(ref r0, d * lanes);
                suffix.Store(ref r0, d * lanes);
            }
            (mass * TB.Reciprocal(total)).Store(ref work[3 * size], 0);
            for (int r = 0; r < lanes; r++)
            {
                int y = rows[r];
                double p = work[3 * size + r];
                for (int k = 0; k < classes; k++)
                {
                    gradient[k * lanes + r] = work[k * lanes + r] * (p - work[2 * size + Math.Abs(k - y) * lanes + r]);
                }
            }
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Row(ReadOnlySpan<double> z, int target, Span<double> gradient)
    {
        var work = _work is { } w0 && w0.Length >= 3 * classes ? w0 : (_work = new double[3 * classes]);
        int lanes = RowVectors.LanesFor(classes);
        if (lanes != 0 && (lanes == 8 ? Vectors<Lanes512>(z, target, gradient, work) : Vectors<Lanes256>(z, target, gradient, work)) is { } result)
        {
            return result;
        }
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

    /// <summary>
    /// The row by distance d from the target, with one shift for all (the largest logit) instead of the running one:
    /// e_k = e^(z_k - max) a vector at a time, C_d = Σ_{|k - y| ≤ d} e_k by a running sum, LA(d) = max + log C_d, and
    /// the gradient's recursion as ρ_d = R_d / C_d = Q_d / C_d + ρ_{d+1} (no exponential of differences), so that
    /// dL/dz_k = e_k (Σq / C_last - ρ_|k-y|). Null, for the exact running form, where the target's own term
    /// underflows (C_0 = e_y below 1e-290: logits hundreds apart; below <see cref="SingleFloor"/> with
    /// single-precision exponentials).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double? Vectors<TL>(ReadOnlySpan<double> z, int target, Span<double> gradient, double[] work)
        where TL : struct, ILanes<TL>
    {
        ref double z0 = ref MemoryMarshal.GetReference(z);
        ref double e0 = ref work[0];
        ref double c0 = ref work[classes];
        ref double r0 = ref work[2 * classes];
        int last = classes - TL.Count;
        var top = TL.Create(double.NegativeInfinity);
        for (int k = 0; k < classes; k += TL.Count)
        {
            top = TL.Max(top, TL.Load(ref z0, Math.Min(k, last)));
        }
        var e = work.AsSpan(0, classes);
        if (single)
        {
            SingleExp.Shifted(z, TL.MaxOf(top), e);
        }
        else
        {
            var m = TL.Create(TL.MaxOf(top));
            for (int k = 0; k < classes; k += TL.Count)
            {
                int start = Math.Min(k, last);
                TL.Exp(TL.Load(ref z0, start) - m).Store(ref e0, start);
            }
        }
        var c = work.AsSpan(classes, classes);
        var rho = work.AsSpan(2 * classes, classes);
        if (!(e[target] >= (single ? SingleFloor : 1e-290)))
        {
            return null;
        }
        int distances = Math.Max(target, classes - 1 - target) + 1;
        c[0] = e[target];
        for (int d = 1; d < distances; d++)
        {
            c[d] = (target - d >= 0 ? e[target - d] : 0) + (target + d < classes ? e[target + d] : 0);
        }
        // The running sums in two independent halves (half the chain of dependent additions), then joined.
        int half = (distances + 1) / 2;
        double low = 0, high = 0;
        for (int d = 0; d < half; d++)
        {
            low += c[d];
            c[d] = low;
            if (half + d < distances)
            {
                high += c[half + d];
                c[half + d] = high;
            }
        }
        for (int d = half; d < distances; d++)
        {
            c[d] += low;
        }
        // L = -Σ_d Q_d (log C_d - log C_last); the terms of ρ start as Q_d / C_d.
        ref double g0 = ref groups[target * classes];
        double dotSum = 0, massSum = 0;
        int lastDistance = distances - TL.Count;
        if (lastDistance >= 0)
        {
            TL dot = TL.Zero, mass = TL.Zero;
            for (int d = 0; d < distances; d += TL.Count)
            {
                int start = Math.Min(d, lastDistance);
                var fresh = TL.GreaterThanOrEqual(TL.Indices + TL.Create(start), TL.Create(d));
                var cd = TL.Load(ref c0, start);
                var qd = TL.Load(ref g0, start);
                dot += fresh & (qd * TL.Log(cd));
                mass += fresh & qd;
                (qd * TL.Reciprocal(cd)).Store(ref r0, start);
            }
            dotSum = TL.Sum(dot);
            massSum = TL.Sum(mass);
        }
        else
        {
            for (int d = 0; d < distances; d++)
            {
                double qd = groups[target * classes + d];
                dotSum += qd * Math.Log(c[d]);
                massSum += qd;
                rho[d] = qd / c[d];
            }
        }
        double total = c[distances - 1];
        double loss = massSum * Math.Log(total) - dotSum;
        if (!gradient.IsEmpty)
        {
            // Suffix sums ρ_d = Σ_{d' ≥ d} Q_d' / C_d'.
            SuffixSums(rho[..distances]);
            // dL/dz_k = e_k (Σq / C_last - ρ_|k-y|): the classes above the target a vector at a time, those below in reverse.
            double p = massSum / total;
            var pv = TL.Create(p);
            ref double gr0 = ref MemoryMarshal.GetReference(gradient);
            int above = classes - target;
            int d0 = 0;
            if (above >= TL.Count)
            {
                for (; d0 + TL.Count <= above; d0 += TL.Count)
                {
                    (TL.Load(ref e0, target + d0) * (pv - TL.Load(ref r0, d0))).Store(ref gr0, target + d0);
                }
            }
            for (; d0 < above; d0++)
            {
                gradient[target + d0] = e[target + d0] * (p - rho[d0]);
            }
            for (int d = 1; d <= target; d++)
            {
                gradient[target - d] = e[target - d] * (p - rho[d]);
            }
        }
        return loss;
    }

    /// <summary>values[d] = Σ_{d' ≥ d} values[d'], in two independent halves (half the chain of dependent additions), then joined.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SuffixSums(Span<double> values)
    {
        int n = values.Length;
        int half = n / 2;
        double upper = 0, lower = 0;
        // Upper part [half, n) and lower part [0, half), each from its end.
        for (int i = 0; i < n - half; i++)
        {
            upper += values[n - 1 - i];
            values[n - 1 - i] = upper;
            if (i < half)
            {
                lower += values[half - 1 - i];
                values[half - 1 - i] = lower;
            }
        }
        for (int d = 0; d < half; d++)
        {
            values[d] += upper;
        }
    }
}
