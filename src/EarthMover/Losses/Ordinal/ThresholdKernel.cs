using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EarthMover.Kernels.Rows;

namespace EarthMover.Losses.Ordinal;

/// <summary>
/// The binary cross-entropy of the K - 1 threshold tasks (docs/math.md §16-§18): L = Σ_q λ_q (softplus(z_q) -
/// ℓ_q z_q) with ℓ_q = [y &gt; q], over all tasks (CORAL, logistic all-threshold) or over the tasks q ≤ y whose
/// conditional training subset holds the sample (CORN). dL/dz_q = λ_q (σ(z_q) - ℓ_q).
/// </summary>
internal sealed class ThresholdKernel(int classes, double[]? importance, bool conditional) : IRawRowKernel, ISingleRowKernel
{
    /// <summary>
    /// Below this e^-|z| the vector rows add log(1 + e) by its series instead of into the product of their lanes'
    /// 1 + e (whose rounding, 1e-16 or 6e-8 per factor, would be most of a small term): to e⁵ in double, to e³ in
    /// float32 (off by under e⁴/4, 3e-13 relative).
    /// </summary>
    private const float SeriesBelow = 1e-3f;

    public int Width => classes - 1;

    public int Classes => classes;

    public long RowCost => 8L * (classes - 1);

    public bool EntriesInUnitInterval => false;

    public double MeanCount(int target) => conditional ? Math.Min(target + 1, classes - 1) : 1.0;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Row(ReadOnlySpan<double> x, int target, Span<double> gradient)
    {
        int tasks = classes - 1;
        int used = conditional ? Math.Min(target + 1, tasks) : tasks;
        double loss = 0;
        int q = 0;
        int lanes = importance is null ? RowVectors.LanesFor(used) : 0;
        if (lanes != 0)
        {
            loss = lanes == 8 ? Vectors<Lanes512>(x, target, gradient, used) : Vectors<Lanes256>(x, target, gradient, used);
            q = used;
        }
        for (; q < used; q++)
        {
            double lambda = importance?[q] ?? 1.0;
            loss += lambda * Term(x[q], target > q, out double residual);
            if (!gradient.IsEmpty)
            {
                gradient[q] = lambda * residual;
            }
        }
        if (!gradient.IsEmpty)
        {
            gradient[used..tasks].Clear();
        }
        return loss;
    }

    /// <summary>
    /// One task's softplus(z) - ℓz = max(z, 0) - ℓz + log(1 + e) and σ(z) - ℓ, from one exponential e = e^-|z|: the
    /// residual (z ≥ 0 ? 1 : e)/(1 + e), or with ℓ = 1 -(z ≥ 0 ? e : 1)/(1 + e) (no cancellation where σ is near ℓ).
    /// </summary>
    private static double Term(double z, bool above, out double residual)
    {
        double e = Math.Exp(-Math.Abs(z));
        residual = (above ? -1 : 1) * ((z >= 0) != above ? 1 : e) / (1 + e);
        return Math.Max(z, 0) - (above ? z : 0) + OrdinalMath.LogOnePlus(e);
    }

    public bool HasSingleRows => importance is null && classes - 1 >= SingleLanes.Count && SingleExp.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryRowSingle(ReadOnlySpan<float> x, int target, Span<float> gradient, float scale, out double loss)
    {
        int tasks = classes - 1;
        int used = conditional ? Math.Min(target + 1, tasks) : tasks;
        loss = 0;
        if (used >= SingleLanes.Count)
        {
            loss = SingleVectors(x, target, gradient, used, scale);
        }
        else
        {
            // CORN rows of a low class: a few tasks, in double.
            for (int q = 0; q < used; q++)
            {
                loss += Term(x[q], target > q, out double residual);
                if (!gradient.IsEmpty)
                {
                    gradient[q] = (float)(scale * residual);
                }
            }
        }
        if (!gradient.IsEmpty)
        {
            gradient[used..tasks].Clear();
        }
        return true;
    }

    /// <summary>
    /// The tasks [0, used) of a float32 row, 8 a vector (the last overlapping the one before, its repeated lanes
    /// masked): softplus(z) - ℓz = max(z, 0) - ℓz + log(1 + e^-|z|), the first part a sum of non-negative terms, the
    /// logarithms as the log of the lanes' product of 1 + e (in double, at most 64 vectors a product: 2^64 at most)
    /// or by their series where e is small; σ(z) - ℓ as ±(1 or e)/(1 + e), no cancellation.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SingleVectors(ReadOnlySpan<float> x, int target, Span<float> gradient, int used, float scale)
    {
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float g0 = ref MemoryMarshal.GetReference(gradient);
        bool grad = !gradient.IsEmpty;
        var y = Vector256.Create((float)target);
        var one = Vector256<float>.One;
        var s = Vector256.Create(scale);
        Vector256<float> product = one, series = default, linear = default;
        double logs = 0;
        int block = 0;
        for (int q = 0; q < used; q += SingleLanes.Count)
        {
            int start = SingleLanes.Start(q, used, out var lanes, out var fresh);
            var z = Vector256.LoadUnsafe(ref x0, (nuint)start);
            // ℓ_q = [y > q] per lane, as a mask.
            var level = Vector256.GreaterThan(y, lanes);
            var e = SingleExp.Exp(-Vector256.Abs(z));
            var u = one + e;
            var small = Vector256.LessThan(e, Vector256.Create(SeriesBelow));
            product *= Vector256.ConditionalSelect(Vector256.AndNot(fresh, small), u, one);
            series += fresh & small & (e * Vector256.FusedMultiplyAdd(-e, Vector256.FusedMultiplyAdd(-e, Vector256.Create(1 / 3.0f), Vector256.Create(0.5f)), one));
            linear += fresh & (Vector256.Max(z, Vector256<float>.Zero) - (z & level));
            if (grad)
            {
                // σ(z) = (z ≥ 0 ? 1 : e)/u; with ℓ = 1, σ(z) - 1 = -(z ≥ 0 ? e : 1)/u.
                var positive = Vector256.GreaterThanOrEqual(z, Vector256<float>.Zero);
                var numerator = Vector256.ConditionalSelect(positive ^ level, one, e);
                (((numerator * SingleLanes.Reciprocal(u)) ^ (level & SingleLanes.SignBit)) * s).StoreUnsafe(ref g0, (nuint)start);
            }
            if (++block == 64)
            {
                logs += SingleLanes.SumOfLogs(product);
                product = one;
                block = 0;
            }
        }
        return logs + SingleLanes.SumOfLogs(product) + SingleLanes.Sum(series) + SingleLanes.Sum(linear);
    }

    /// <summary>
    /// The tasks [0, used) a vector at a time (the last vector overlapping the one before, its repeated lanes
    /// masked); Σ log(1 + e^-|z|) as the log of the lanes' product (one logarithm per lane and row instead of one per
    /// task; the factors lie in (1, 2], so 512 of them cannot overflow).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Vectors<TL>(ReadOnlySpan<double> x, int target, Span<double> gradient, int used)
        where TL : struct, ILanes<TL>
    {
        ref double x0 = ref MemoryMarshal.GetReference(x);
        ref double g0 = ref MemoryMarshal.GetReference(gradient);
        bool grad = !gradient.IsEmpty;
        var y = TL.Create(target);
        var one = TL.One;
        var product = one;
        var linear = TL.Zero;
        var correction = TL.Zero;
        double logs = 0;
        int block = 0;
        for (int q = 0; q < used; q += TL.Count)
        {
            int start = RowVectors.Window<TL>(q, used, out var lanes, out var fresh);
            var z = TL.Load(ref x0, start);
            // ℓ_q = [y > q] per lane, as a mask.
            var level = TL.GreaterThan(y, lanes);
            var e = TL.Exp(-TL.Abs(z));
            var u = one + e;
            var r = TL.Reciprocal(u);
            // log(1 + e): by its series where e < 10⁻³ (to e⁵, 2e-16 relative), else into the product, whose
            // rounding (10⁻¹⁶ per factor) is then far below the term; log u + (e - (u - 1))/u gives u's back.
            var small = TL.GreaterThan(TL.Create(SeriesBelow), e);
            product *= TL.Select(TL.AndNot(fresh, small), u, one);
            var series = e * (one - e * (TL.Create(0.5) - e * (TL.Create(1 / 3.0) - e * (TL.Create(0.25) - e * TL.Create(0.2)))));
            correction += fresh & TL.Select(small, series, (e - (u - one)) * r);
            linear += fresh & (TL.Max(z, TL.Zero) - (z & level));
            if (grad)
            {
                // σ(z) - ℓ as in Residual: (z ≥ 0 ? 1 : e)/u, or with ℓ = 1 -(z ≥ 0 ? e : 1)/u.
                var positive = TL.GreaterThanOrEqual(z, TL.Zero);
                TL.Select(level, -(TL.Select(positive, e, one) * r), TL.Select(positive, one, e) * r).Store(ref g0, start);
            }
            if (++block == 512)
            {
                logs += TL.Sum(TL.Log(product));
                product = one;
                block = 0;
            }
        }
        return logs + TL.Sum(TL.Log(product)) + TL.Sum(correction) + TL.Sum(linear);
    }
}
