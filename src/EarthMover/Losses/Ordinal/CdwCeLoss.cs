using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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

    public override IRawRowKernel? RawRowKernel(int classes, bool logits) => logits ? (RowVectors.BlockLanesFor(classes) == 8 ? new CdwCeKernel<Lanes512>(classes, _alpha) : new CdwCeKernel<Lanes256>(classes, _alpha)) : null;

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
/// <typeparam name="TB">The lanes of a block (<see cref="RowVectors.BlockLanesFor"/>), chosen where the kernel is built.</typeparam>
internal sealed class CdwCeKernel<TB> : IRawRowKernel, ISingleRowKernel
    where TB : struct, ILanes<TB>
{
    [ThreadStatic]
    private static double[]? _work;

    [ThreadStatic]
    private static float[]? _singleWork;

    private readonly int _classes;
    private readonly double[] _penalty;
    private readonly double[] _rows;
    private readonly float[] _singleRows;

    public CdwCeKernel(int classes, double alpha)
    {
        _classes = classes;
        BlockLanes = RowVectors.BlockLanesFor(classes);
        (_penalty, _rows, _singleRows) = Tables.GetOrAdd((alpha, classes), key => Build(key.Alpha, key.Classes));
    }

    // |j - y|^α by distance, and as K x K rows (row y: the weights of the classes j) for the vector path: they depend
    // on (α, K) only, built once rather than on every call.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(double Alpha, int Classes), (double[], double[], float[])> Tables = new();

    private static (double[] Penalty, double[] Rows, float[] SingleRows) Build(double alpha, int classes)
    {
        var penalty = new double[classes];
        for (int d = 1; d < classes; d++)
        {
            penalty[d] = Math.Pow(d, alpha);
        }
        var rows = new double[classes * classes];
        for (int y = 0; y < classes; y++)
        {
            for (int j = 0; j < classes; j++)
            {
                rows[y * classes + j] = penalty[Math.Abs(j - y)];
            }
        }
        return (penalty, rows, Array.ConvertAll(rows, v => (float)v));
    }

    public int Classes => _classes;

    public long RowCost => 8L * _classes;

    public int BlockLanes { get; }

    /// <summary>
    /// The rows of a block, one per lane, as <see cref="Vectors{TL}"/> computes a row: each lane's argmax by
    /// comparisons (the first largest, as in <see cref="Row"/>), one exponential and one logarithm per class. False
    /// where a row's other logits are all far below its largest (<see cref="Extreme"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Block(ReadOnlySpan<double> x, ReadOnlySpan<int> rows, Span<double> gradient, Span<double> losses)
    {
        int classes = _classes;
        int lanes = TB.Count;
        int size = classes * lanes;
        var work = _work is { } w0 && w0.Length >= 3 * size ? w0 : (_work = new double[3 * size]);
        // The rows' weights |j - y|^α, class-major like the block.
        for (int r = 0; r < lanes; r++)
        {
            int at = rows[r] * classes;
            for (int k = 0; k < classes; k++)
            {
                work[size + k * lanes + r] = _rows[at + k];
            }
        }
        ref double x0 = ref MemoryMarshal.GetReference(x);
        ref double e0 = ref work[0];
        ref double wt0 = ref work[size];
        ref double o0 = ref work[2 * size];
        var max = TB.Load(ref x0, 0);
        var top = TB.Zero;
        for (int k = 1; k < classes; k++)
        {
            var v = TB.Load(ref x0, k * lanes);
            var above = TB.GreaterThan(v, max);
            max = TB.Select(above, v, max);
            top = TB.Select(above, TB.Create(k), top);
        }
        TB total = TB.Zero, others = TB.Zero;
        for (int k = 0; k < classes; k++)
        {
            var e = TB.Exp(TB.Load(ref x0, k * lanes) - max);
            e.Store(ref e0, k * lanes);
            total += e;
            others += TB.AndNot(e, TB.Equal(top, TB.Create(k)));
        }
        if (TB.MaxOf(TB.AndNot(TB.One, TB.GreaterThanOrEqual(others, TB.Create(1e-290)))) != 0)
        {
            return false;
        }
        TB logs = TB.Zero, weights = TB.Zero, sum = TB.Zero, wTop = TB.Zero;
        for (int k = 0; k < classes; k++)
        {
            var isTop = TB.Equal(top, TB.Create(k));
            var e = TB.Load(ref e0, k * lanes);
            var w = TB.Load(ref wt0, k * lanes);
            var s = TB.Select(isTop, others, total - e);
            logs += w * TB.Log(s);
            weights += w;
            var own = TB.AndNot(w * TB.Reciprocal(s), isTop);
            sum += own;
            own.Store(ref o0, k * lanes);
            // w_y = 0: a top at the target weighs nothing.
            wTop = TB.Select(isTop, w, wTop);
        }
        (weights * TB.Log(total) - logs).Store(ref MemoryMarshal.GetReference(losses), 0);
        if (!gradient.IsEmpty)
        {
            ref double g0 = ref MemoryMarshal.GetReference(gradient);
            var mean = weights * TB.Reciprocal(total);
            var apart = wTop * TB.Reciprocal(others);
            for (int k = 0; k < classes; k++)
            {
                var e = TB.Load(ref e0, k * lanes);
                var g = e * (mean - (sum - TB.Load(ref o0, k * lanes)));
                (g - TB.AndNot(apart * e, TB.Equal(top, TB.Create(k)))).Store(ref g0, k * lanes);
            }
        }
        return true;
    }

    public bool HasSingleRows => _classes >= SingleLanes.Count && SingleExp.IsSupported;

    /// <summary>
    /// A float32 row, 8 classes a vector (the last overlapping the one before, its repeated lanes masked), as
    /// <see cref="Row"/> computes it but with each term -log(S_j/Σe) = -log(1 - p_j) off the argmax as -log1p(-p_j)
    /// (log u + (1 - u - p)/u, u = 1 - p rounded: exact to float32 rounding relative to the term, p_j ≤ ½ there; or
    /// its power series where a whole vector has p &lt; 1/8, most of a row of many classes), so the loss is a sum of
    /// positive terms instead of a difference of two sums of logarithms. Three passes over the row (exponentials and
    /// the argmax; loss terms and h_j = w_j/(1 - p_j); the gradient p (h - c)), whole vectors without masks, the
    /// last overlapping vector masked. False where the other classes' mass e^(z - max) is below 1e-30 (float32
    /// exponentials flush under e^-87): the double path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryRowSingle(ReadOnlySpan<float> x, int target, Span<float> gradient, float scale, out double loss)
    {
        int classes = _classes;
        const int lanes = SingleLanes.Count;
        // Whole vectors up to full; past it one vector from last, overlapping the one before, its new lanes fresh.
        int full = classes & -lanes;
        int last = SingleLanes.Start(full, classes, out var tail, out var tailFresh);
        var step = Vector256.Create((float)lanes);
        var work = _singleWork is { } w0 && w0.Length >= 2 * classes ? w0 : (_singleWork = new float[2 * classes]);
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float e0 = ref work[0];
        ref float h0 = ref work[classes];
        ref float w0r = ref _singleRows[target * classes];
        var max = Vector256.Create(SingleLanes.Max(x));
        var exponentials = new ExpSums(Vector256.Create(float.MinValue));
        var index = Vector256<float>.Indices;
        for (int k = 0; k < full; k += lanes, index += step)
        {
            ExpLanes(ref x0, ref e0, k, max, index, Vector256<float>.AllBitsSet, ref exponentials);
        }
        if (full < classes)
        {
            ExpLanes(ref x0, ref e0, last, max, tail, tailFresh, ref exponentials);
        }
        int top = (int)-SingleLanes.MaxOf(exponentials.First);
        double rest = SingleLanes.Sum(exponentials.Others) + (SingleLanes.Sum(exponentials.Ties) - 1);
        if (!(rest >= 1e-30))
        {
            loss = 0;
            return false;
        }
        double total = 1 + rest;
        var inverse = Vector256.Create((float)(1 / total));
        var topLane = Vector256.Create((float)top);
        var terms = default(TermSums);
        index = Vector256<float>.Indices;
        for (int k = 0; k < full; k += lanes, index += step)
        {
            TermLanes(ref e0, ref w0r, ref h0, k, index, Vector256<float>.AllBitsSet, topLane, inverse, ref terms);
        }
        if (full < classes)
        {
            TermLanes(ref e0, ref w0r, ref h0, last, tail, tailFresh, topLane, inverse, ref terms);
        }
        double wTop = top == target ? 0 : _penalty[Math.Abs(top - target)];
        // The argmax's term: -log(S_top/Σe) = log Σe - log(others) = log1p(rest) - log(rest).
        loss = SingleLanes.Sum(terms.Loss) + wTop * (OrdinalMath.LogOnePlus(rest) - Math.Log(rest));
        if (!gradient.IsEmpty)
        {
            // dL/dz_m = p_m (h_m - R), h_m = w_m/(1 - p_m), R = Σ_j p_j h_j: with R' = Σ_{j≠top} p_j h_j (terms of one
            // sign) and the argmax's p_top h_top = w_top/rest, dL/dz_m = p_m (h_m - R' - w_top/rest) off the argmax
            // and p_top (w_top - R') at it (h_top - R without its cancellation where p_top → 1). The overlapping
            // vector writes its repeated lanes again with the same values.
            double others = SingleLanes.Sum(terms.Others);
            ref float g0 = ref MemoryMarshal.GetReference(gradient);
            var c = Vector256.Create((float)(others + wTop / rest));
            var factor = Vector256.Create((float)(scale / total));
            for (int k = 0; k < full; k += lanes)
            {
                GradientLanes(ref e0, ref h0, ref g0, k, c, factor);
            }
            if (full < classes)
            {
                GradientLanes(ref e0, ref h0, ref g0, last, c, factor);
            }
            gradient[top] = (float)(scale / total * (wTop - others));
        }
        return true;
    }

    /// <summary>What the exponentials' pass sums: the others' mass, the lanes at the largest logit, and the first of them (negated index).</summary>
    private struct ExpSums(Vector256<float> first)
    {
        public Vector256<float> Others;
        public Vector256<float> Ties;
        public Vector256<float> First = first;
    }

    /// <summary>What the terms' pass sums: the loss terms and R' = Σ_{j≠top} p_j h_j.</summary>
    private struct TermSums
    {
        public Vector256<float> Loss;
        public Vector256<float> Others;
    }

    /// <summary>
    /// e = e^(x - max) for the 8 classes from <paramref name="start"/>, stored; the fresh lanes' mass off the largest
    /// logit added, lanes equal to it counted (each has e = e^0 = 1) and the first of them kept.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ExpLanes(ref float x0, ref float e0, int start, Vector256<float> max, Vector256<float> index, Vector256<float> fresh, ref ExpSums sums)
    {
        var v = Vector256.LoadUnsafe(ref x0, (nuint)start);
        var e = SingleExp.Exp(v - max);
        e.StoreUnsafe(ref e0, (nuint)start);
        var atMax = fresh & Vector256.Equals(v, max);
        sums.Others += Vector256.AndNot(fresh, atMax) & e;
        sums.Ties += atMax & Vector256<float>.One;
        sums.First = Vector256.Max(sums.First, Vector256.ConditionalSelect(atMax, -index, sums.First));
    }

    /// <summary>
    /// The loss terms -w_j log(1 - p_j) of the fresh lanes off the argmax (w_y = 0 drops the true class), and
    /// h_j = w_j/(1 - p_j), stored for the gradient, with p_j h_j added to R'.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TermLanes(ref float e0, ref float w0r, ref float h0, int start, Vector256<float> index, Vector256<float> fresh, Vector256<float> topLane, Vector256<float> inverse, ref TermSums sums)
    {
        var one = Vector256<float>.One;
        var isTop = Vector256.Equals(index, topLane);
        var off = Vector256.AndNot(fresh, isTop);
        var w = Vector256.LoadUnsafe(ref w0r, (nuint)start);
        var p = Vector256.LoadUnsafe(ref e0, (nuint)start) * inverse;
        var u = one - p;
        var r = SingleLanes.Reciprocal(u);
        // -log1p(-p): its series where every lane off the argmax has p < 1/8 (the common case off a confident row's
        // top, no logarithm), else log u + ((1 - u) - p)/u. The argmax's lane (p up to 1, u down to 0) is masked.
        var q = Vector256.AndNot(p, isTop);
        var t = Vector256.LessThanAll(q, Vector256.Create(0.125f)) ? SeriesLog1pNeg(q) : -Vector256.FusedMultiplyAdd((one - u) - p, r, SingleLog.Log(u));
        sums.Loss += off & (w * t);
        var h = w * r;
        sums.Others += off & (p * h);
        h.StoreUnsafe(ref h0, (nuint)start);
    }

    /// <summary>dL/dz = p (h - c) scaled, for the 8 classes from <paramref name="start"/> (the argmax's lane is written over after).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GradientLanes(ref float e0, ref float h0, ref float g0, int start, Vector256<float> c, Vector256<float> factor)
    {
        var e = Vector256.LoadUnsafe(ref e0, (nuint)start);
        var h = Vector256.LoadUnsafe(ref h0, (nuint)start);
        (e * factor * (h - c)).StoreUnsafe(ref g0, (nuint)start);
    }

    /// <summary>
    /// -log(1 - q) = q + q²/2 + ... + q⁸/8 per lane for 0 ≤ q &lt; 1/8: the terms left out add less than q⁸/9 ≤ 7e-9
    /// of the value, below float32's rounding.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> SeriesLog1pNeg(Vector256<float> q)
    {
        var s = Vector256.Create(1f / 8);
        s = Vector256.FusedMultiplyAdd(s, q, Vector256.Create(1f / 7));
        s = Vector256.FusedMultiplyAdd(s, q, Vector256.Create(1f / 6));
        s = Vector256.FusedMultiplyAdd(s, q, Vector256.Create(1f / 5));
        s = Vector256.FusedMultiplyAdd(s, q, Vector256.Create(1f / 4));
        s = Vector256.FusedMultiplyAdd(s, q, Vector256.Create(1f / 3));
        s = Vector256.FusedMultiplyAdd(s, q, Vector256.Create(1f / 2));
        return Vector256.FusedMultiplyAdd(s, q * q, q);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Row(ReadOnlySpan<double> z, int target, Span<double> gradient)
    {
        int classes = _classes;
        var work = _work is { } w0 && w0.Length >= 2 * classes ? w0 : (_work = new double[2 * classes]);
        var e = work.AsSpan(0, classes);
        var s = work.AsSpan(classes, classes);
        int top = RowArgMax.Of(z);
        double max = z[top];
        double total = 0, others = 0;
        int lanes = RowVectors.LanesFor(classes);
        if (lanes != 0)
        {
            (total, others) = lanes == 8 ? Exponentials<Lanes512>(z, e, top, max) : Exponentials<Lanes256>(z, e, top, max);
        }
        else
        {
            for (int k = 0; k < classes; k++)
            {
                e[k] = Math.Exp(z[k] - max);
                total += e[k];
                others += k == top ? 0 : e[k];
            }
        }
        if (!(others >= 1e-290))
        {
            return Extreme(z, target, gradient, top, max, total);
        }
        if (lanes != 0)
        {
            return lanes == 8 ? Vectors<Lanes512>(target, gradient, top, total, others) : Vectors<Lanes256>(target, gradient, top, total, others);
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

    /// <summary>e_k = e^(z_k - max) into <paramref name="e"/>, a vector at a time (the last vector overlapping, its repeated lanes masked); Σe and Σ_{k≠top} e.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (double Total, double Others) Exponentials<TL>(ReadOnlySpan<double> z, Span<double> e, int top, double max)
        where TL : struct, ILanes<TL>
    {
        ref double z0 = ref MemoryMarshal.GetReference(z);
        ref double e0 = ref MemoryMarshal.GetReference(e);
        int last = _classes - TL.Count;
        var m = TL.Create(max);
        var topLane = TL.Create(top);
        TL total = TL.Zero, others = TL.Zero;
        for (int k = 0; k < _classes; k += TL.Count)
        {
            int start = Math.Min(k, last);
            var lanes = TL.Indices + TL.Create(start);
            var fresh = TL.GreaterThanOrEqual(lanes, TL.Create(k));
            var v = TL.Exp(TL.Load(ref z0, start) - m);
            v.Store(ref e0, start);
            total += fresh & v;
            others += TL.AndNot(fresh & v, TL.Equal(lanes, topLane));
        }
        return (TL.Sum(total), TL.Sum(others));
    }

    /// <summary>
    /// The loss and gradient from e (in the work buffer) a vector at a time, as the scalar loop computes them:
    /// S_j = Σe - e_j (S_top = the others' sum), L = -Σ_j w_j log(S_j / Σe), own_m = w_m / S_m kept in the buffer for the gradient.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Vectors<TL>(int target, Span<double> gradient, int top, double total, double others)
        where TL : struct, ILanes<TL>
    {
        int classes = _classes;
        var work = _work!;
        ref double e0 = ref work[0];
        ref double o0 = ref work[classes];
        ref double w0 = ref _rows[target * classes];
        int last = classes - TL.Count;
        var topLane = TL.Create(top);
        var totalV = TL.Create(total);
        var othersV = TL.Create(others);
        TL logs = TL.Zero, weights = TL.Zero, sum = TL.Zero;
        for (int k = 0; k < classes; k += TL.Count)
        {
            int start = Math.Min(k, last);
            var lanes = TL.Indices + TL.Create(start);
            var fresh = TL.GreaterThanOrEqual(lanes, TL.Create(k));
            var isTop = TL.Equal(lanes, topLane);
            var e = TL.Load(ref e0, start);
            var w = TL.Load(ref w0, start);
            var s = TL.Select(isTop, othersV, totalV - e);
            // w_y = 0: the true class adds nothing, as in the scalar loop that skips it.
            logs += fresh & (w * TL.Log(s));
            weights += fresh & w;
            var own = TL.AndNot(w * TL.Reciprocal(s), isTop);
            sum += fresh & own;
            own.Store(ref o0, start);
        }
        double weightSum = TL.Sum(weights);
        double loss = weightSum * Math.Log(total) - TL.Sum(logs);
        if (!gradient.IsEmpty)
        {
            ref double g0 = ref MemoryMarshal.GetReference(gradient);
            double wTop = top == target ? 0 : _penalty[Math.Abs(top - target)];
            var mean = TL.Create(weightSum / total);
            var sumV = TL.Create(TL.Sum(sum));
            var apart = TL.Create(wTop / others);
            for (int k = 0; k < classes; k += TL.Count)
            {
                int start = Math.Min(k, last);
                var lanes = TL.Indices + TL.Create(start);
                var e = TL.Load(ref e0, start);
                var own = TL.Load(ref o0, start);
                var g = e * (mean - (sumV - own));
                (g - TL.AndNot(apart * e, TL.Equal(lanes, topLane))).Store(ref g0, start);
            }
        }
        return loss;
    }

    /// <summary>The other logits are all more than about 667 below the largest: every l_j relative to the second largest at the argmax.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
