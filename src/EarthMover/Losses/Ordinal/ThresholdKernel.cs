using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EarthMover.Kernels.Rows;

namespace EarthMover.Losses.Ordinal;

/// <summary>
/// The binary cross-entropy of the K - 1 threshold tasks (docs/math.md §16-§18): L = Σ_q λ_q (softplus(z_q) -
/// ℓ_q z_q) with ℓ_q = [y &gt; q], over all tasks (CORAL, logistic all-threshold) or over the tasks q ≤ y whose
/// conditional training subset holds the sample (CORN). dL/dz_q = λ_q (σ(z_q) - ℓ_q).
/// </summary>
internal sealed class ThresholdKernel(int classes, double[]? importance, bool conditional) : IRawRowKernel
{
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
            double z = x[q];
            double level = target > q ? 1 : 0;
            double lambda = importance?[q] ?? 1.0;
            // One exponential for both: softplus(z) = max(z, 0) + log(1 + e^-|z|), σ(z) from the same e^-|z|.
            double e = Math.Exp(-Math.Abs(z));
            loss += lambda * (Math.Max(z, 0) + Math.Log(1 + e) - level * z);
            if (!gradient.IsEmpty)
            {
                double sigma = z >= 0 ? 1 / (1 + e) : e / (1 + e);
                gradient[q] = lambda * (sigma - level);
            }
        }
        if (!gradient.IsEmpty)
        {
            gradient[used..tasks].Clear();
        }
        return loss;
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
        double logs = 0;
        int block = 0;
        for (int q = 0; q < used; q += TL.Count)
        {
            int start = Math.Min(q, used - TL.Count);
            var lanes = TL.Indices + TL.Create(start);
            var fresh = TL.GreaterThanOrEqual(lanes, TL.Create(q));
            var z = TL.Load(ref x0, start);
            // ℓ_q = [y > q] per lane, as a mask.
            var level = TL.GreaterThan(y, lanes);
            var e = TL.Exp(-TL.Abs(z));
            var u = one + e;
            product *= TL.Select(fresh, u, one);
            linear += fresh & (TL.Max(z, TL.Zero) - (z & level));
            if (grad)
            {
                // σ(z) = 1/(1 + e) for z ≥ 0, e/(1 + e) below.
                var numerator = TL.Select(TL.GreaterThanOrEqual(z, TL.Zero), one, e);
                (numerator * TL.Reciprocal(u) - (one & level)).Store(ref g0, start);
            }
            if (++block == 512)
            {
                logs += TL.Sum(TL.Log(product));
                product = one;
                block = 0;
            }
        }
        return logs + TL.Sum(TL.Log(product)) + TL.Sum(linear);
    }
}
