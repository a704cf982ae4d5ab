using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EarthMover.Kernels.Transport;

/// <summary>
/// The Sinkhorn iterations of <see cref="SinkhornRows"/> in the scaling domain, in float64: U = e^u and V = e^v with
/// V_j = b_j / Σ_i K_ij U_i and U_i = a_i / Σ_j K_ij V_j, K = e^M. The same iterates as the log domain, but each
/// update is a matrix-vector product instead of C² exponentials (several times faster). The potentials are taken
/// in log form from the sums, u_i = log a_i − log Σ_j K_ij V_j, so tiny masses keep their exact potentials. Exact
/// while each sum's dominant terms are normal doubles: so it runs only when M ≥ −<see cref="Bound"/>, and a row
/// whose sums leave the normal range (or overflow) is handed back to the log domain.
/// </summary>
/// <param name="k">K by rows, each padded with zeros to the stride.</param>
/// <param name="kt">Kᵀ by rows, likewise.</param>
/// <param name="classes">C.</param>
/// <param name="stride">C rounded up to whole vectors.</param>
internal sealed class ScaledSinkhorn(double[] k, double[] kt, int classes, int stride)
{
    /// <summary>M ≥ −Bound keeps every entry of K = e^M above 1e-100.</summary>
    public const double Bound = 230;

    // Scalings below this are set to 0, so that every product K_ij U_i is 0 or above 1e-250: no subnormal numbers,
    // whose arithmetic is both inexact and, on x86, about a hundred times slower.
    private const double FlushBelow = 1e-150;

    // A sum must be at least this, so that the flushed terms (at most C · 1e-150) are below 1e-17 of it for any
    // C < 1e13; a smaller sum hands the row back to the log domain.
    private const double MinSum = 1e-120;

    private readonly double[] _k = k;
    private readonly double[] _kt = kt;

    /// <summary>C.</summary>
    public int Classes { get; } = classes;

    /// <summary>Row length of the padded arrays: C rounded up to whole vectors.</summary>
    public int Stride { get; } = stride;

    /// <summary>The scaling form of M (C x C, row-major), or null where some M_ij &lt; −Bound.</summary>
    public static ScaledSinkhorn? For<T>(ReadOnlySpan<T> m, int classes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int stride = (classes + Vector<double>.Count - 1) / Vector<double>.Count * Vector<double>.Count;
        var k = new double[classes * stride];
        var kt = new double[classes * stride];
        for (int i = 0; i < classes; i++)
        {
            for (int j = 0; j < classes; j++)
            {
                double exponent = double.CreateChecked(m[i * classes + j]);
                if (!(exponent >= -Bound && exponent <= Bound))
                {
                    return null;
                }
                k[i * stride + j] = kt[j * stride + i] = Math.Exp(exponent);
            }
        }
        return new(k, kt, classes, stride);
    }

    /// <summary>Work space for one thread.</summary>
    public Work NewWork() => new(Classes, Stride);

    /// <summary>
    /// Iterates one row from u = v = 0 as <see cref="SinkhornRows"/> does (the same stopping rule) and writes the
    /// potentials in log form; returns the number of iterations, or −1 when the row must be solved in the log domain
    /// (nothing useful is written then).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Solve<T>(Work work, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> u, Span<T> v, int maxIterations, double tolSquared, int checkEvery)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = Classes;
        var (ad, bd, scaleU, scaleV) = (work.A, work.B, work.U, work.V);
        var (columns, vSums, uSums) = (work.Columns, work.VSums, work.USums);
        for (int k = 0; k < c; k++)
        {
            ad[k] = double.CreateChecked(a[k]);
            bd[k] = double.CreateChecked(b[k]);
            scaleU[k] = 1;
            scaleV[k] = 1;
            uSums[k] = vSums[k] = double.NaN; // no update yet
        }
        int done = maxIterations;
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            for (int j = 0; j < c; j++)
            {
                columns[j] = Dot(_kt.AsSpan(j * Stride, Stride), scaleU);
            }
            // As in the log domain: the previous iteration's column marginals V_j Σ_i K_ij U_i, checked before V moves.
            if (iteration > 0 && (iteration - 1) % checkEvery == 0 && MarginalErrorSquared(columns, scaleV, bd, c) < tolSquared)
            {
                done = iteration;
                break;
            }
            if (!Update(columns, bd, scaleV, vSums, c))
            {
                return -1;
            }
            for (int i = 0; i < c; i++)
            {
                columns[i] = Dot(_k.AsSpan(i * Stride, Stride), scaleV);
            }
            if (!Update(columns, ad, scaleU, uSums, c))
            {
                return -1;
            }
        }
        Potentials(ad, uSums, u, c);
        Potentials(bd, vSums, v, c);
        return done;
    }

    // scale_k = mass_k / sum_k, keeping the sums for the potentials. A sum below MinSum (or not finite) means its
    // terms were not exact: the row goes back to the log domain. Tiny scalings (a tiny mass) are flushed to 0: they
    // enter only sums that larger terms dominate, and the potentials come from the masses and sums, not from them.
    private static bool Update(double[] sums, double[] masses, double[] scale, double[] kept, int classes)
    {
        for (int k = 0; k < classes; k++)
        {
            double sum = sums[k];
            if (!(sum >= MinSum && sum <= double.MaxValue))
            {
                return false;
            }
            double scaling = masses[k] / sum;
            scale[k] = scaling >= FlushBelow ? scaling : 0;
            kept[k] = sum;
        }
        return true;
    }

    // u_k = log mass_k − log sum_k, in log form from the start (a tiny mass keeps its exact large negative potential,
    // a class without mass gets log 0 = −∞); 0 where no update ran (max_iter = 0).
    private static void Potentials<T>(double[] masses, double[] sums, Span<T> potentials, int classes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < classes; k++)
        {
            potentials[k] = T.CreateChecked(double.IsNaN(sums[k]) ? 0 : Math.Log(masses[k]) - Math.Log(sums[k]));
        }
    }

    private static double MarginalErrorSquared(double[] columns, double[] scaleV, double[] b, int classes)
    {
        double error = 0;
        for (int j = 0; j < classes; j++)
        {
            double difference = scaleV[j] * columns[j] - b[j];
            error += difference * difference;
        }
        return error;
    }

    // Four accumulators, so that the additions of one vector do not wait for the previous one's. Both spans are
    // whole vectors long (the stride), so the loads need no tail.
    private static double Dot(ReadOnlySpan<double> x, double[] y)
    {
        int lanes = Vector<double>.Count;
        ref double xs = ref MemoryMarshal.GetReference(x);
        ref double ys = ref MemoryMarshal.GetArrayDataReference(y);
        Vector<double> s0 = default, s1 = default, s2 = default, s3 = default;
        nuint k = 0, length = (nuint)x.Length, step = (nuint)lanes;
        for (; k + 4 * step <= length; k += 4 * step)
        {
            s0 = Vector.MultiplyAddEstimate(Vector.LoadUnsafe(ref xs, k), Vector.LoadUnsafe(ref ys, k), s0);
            s1 = Vector.MultiplyAddEstimate(Vector.LoadUnsafe(ref xs, k + step), Vector.LoadUnsafe(ref ys, k + step), s1);
            s2 = Vector.MultiplyAddEstimate(Vector.LoadUnsafe(ref xs, k + 2 * step), Vector.LoadUnsafe(ref ys, k + 2 * step), s2);
            s3 = Vector.MultiplyAddEstimate(Vector.LoadUnsafe(ref xs, k + 3 * step), Vector.LoadUnsafe(ref ys, k + 3 * step), s3);
        }
        for (; k < length; k += step)
        {
            s0 = Vector.MultiplyAddEstimate(Vector.LoadUnsafe(ref xs, k), Vector.LoadUnsafe(ref ys, k), s0);
        }
        return Vector.Sum((s0 + s1) + (s2 + s3));
    }

    /// <summary>One thread's vectors, padded with zeros to the stride.</summary>
    internal sealed class Work(int classes, int stride)
    {
        public double[] A { get; } = new double[classes];

        public double[] B { get; } = new double[classes];

        public double[] U { get; } = new double[stride];

        public double[] V { get; } = new double[stride];

        public double[] Columns { get; } = new double[classes];

        public double[] USums { get; } = new double[classes];

        public double[] VSums { get; } = new double[classes];
    }
}
