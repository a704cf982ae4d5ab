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
internal sealed class ThresholdKernel(int classes, double[]? importance, bool conditional) : IRawRowKernel
{
    public int Width => classes - 1;

    public int Classes => classes;

    public long RowCost => 8L * (classes - 1);

    public bool EntriesInUnitInterval => false;

    public double MeanCount(int target) => conditional ? Math.Min(target + 1, classes - 1) : 1.0;

    public double Row(ReadOnlySpan<double> x, int target, Span<double> gradient)
    {
        int tasks = classes - 1;
        int used = conditional ? Math.Min(target + 1, tasks) : tasks;
        double loss = 0;
        int q = 0;
        if (RowVectors.IsAccelerated && importance is null)
        {
            loss = Vectors(x, target, gradient, used, out q);
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
    /// The tasks [0, used) four at a time, <paramref name="done"/> of them (all where used ≥ 4: the last vector
    /// overlaps the one before, its repeated lanes masked); Σ log(1 + e^-|z|) as the log of the lanes' product (one
    /// logarithm per lane and row instead of one per task; the factors lie in (1, 2], so 512 of them cannot overflow).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Vectors(ReadOnlySpan<double> x, int target, Span<double> gradient, int used, out int done)
    {
        ref double x0 = ref MemoryMarshal.GetReference(x);
        ref double g0 = ref MemoryMarshal.GetReference(gradient);
        bool grad = !gradient.IsEmpty;
        var y = Vector256.Create((double)target);
        var one = Vector256<double>.One;
        var product = one;
        var linear = Vector256<double>.Zero;
        double logs = 0;
        int q = 0;
        for (int block = 0; q + 4 <= used; q += 4)
        {
            Step(ref x0, ref g0, grad, q, y, Vector256<double>.AllBitsSet, ref product, ref linear);
            if (++block == 512)
            {
                logs += RowVectors.Sum(RowVectors.Log(product));
                product = one;
                block = 0;
            }
        }
        if (q < used && used >= 4)
        {
            int start = used - 4;
            Step(ref x0, ref g0, grad, start, y, Vector256.GreaterThanOrEqual(RowVectors.Lanes + Vector256.Create((double)start), Vector256.Create((double)q)), ref product, ref linear);
            q = used;
        }
        done = q;
        return logs + RowVectors.Sum(RowVectors.Log(product)) + RowVectors.Sum(linear);
    }

    /// <summary>Tasks [q, q + 4), those in <paramref name="fresh"/> added to the sums; the gradient stored for all four.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(ref double x0, ref double g0, bool grad, int q, Vector256<double> y, Vector256<double> fresh, ref Vector256<double> product, ref Vector256<double> linear)
    {
        var one = Vector256<double>.One;
        var z = Vector256.LoadUnsafe(ref x0, (nuint)q);
        // ℓ_q = [y > q] per lane, as a mask.
        var level = Vector256.GreaterThan(y, RowVectors.Lanes + Vector256.Create((double)q));
        var e = RowVectors.Exp(-Vector256.Abs(z));
        var u = one + e;
        product *= Vector256.ConditionalSelect(fresh, u, one);
        linear += fresh & (Vector256.Max(z, Vector256<double>.Zero) - (z & level));
        if (grad)
        {
            // σ(z) = 1/(1 + e) for z ≥ 0, e/(1 + e) below.
            var numerator = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(z, Vector256<double>.Zero), one, e);
            (numerator * RowVectors.Reciprocal(u) - (one & level)).StoreUnsafe(ref g0, (nuint)q);
        }
    }
}
