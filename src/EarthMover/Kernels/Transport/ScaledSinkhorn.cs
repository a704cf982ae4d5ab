using System.Numerics;
using System.Runtime.CompilerServices;

namespace EarthMover.Kernels.Transport;

/// <summary>
/// The Sinkhorn iterations of <see cref="SinkhornRows"/> in the scaling domain, in float64: U = e^u and V = e^v with
/// V_j = b_j / Σ_i K_ij U_i and U_i = a_i / Σ_j K_ij V_j, K = e^M. The same iterates as the log domain, but each
/// update is a matrix-vector product instead of C² exponentials (several times faster). Exact only while every
/// product K_ij U_i and K_ij V_j is a normal double: so it runs only when M ≥ −<see cref="Bound"/>, and a row whose
/// potentials leave [−Bound, Bound] (or whose update divides by zero) is handed back to the log domain.
/// </summary>
internal sealed class ScaledSinkhorn
{
    /// <summary>|M| and |u|, |v| up to this keep every product above e^(−2 Bound), far inside float64's range.</summary>
    public const double Bound = 300;

    private readonly double[] _k;  // K by rows, each padded with zeros to the stride
    private readonly double[] _kt; // Kᵀ by rows, likewise

    private ScaledSinkhorn(double[] k, double[] kt, int classes, int stride)
    {
        _k = k;
        _kt = kt;
        Classes = classes;
        Stride = stride;
    }

    /// <summary>C.</summary>
    public int Classes { get; }

    /// <summary>Row length of the padded arrays: C rounded up to whole vectors.</summary>
    public int Stride { get; }

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
        var (ad, bd, scaleU, scaleV, columns) = (work.A, work.B, work.U, work.V, work.Columns);
        for (int k = 0; k < c; k++)
        {
            ad[k] = double.CreateChecked(a[k]);
            bd[k] = double.CreateChecked(b[k]);
            scaleU[k] = 1;
            scaleV[k] = 1;
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
            for (int j = 0; j < c; j++)
            {
                if (!(columns[j] > 0) && bd[j] > 0)
                {
                    return -1;
                }
                scaleV[j] = bd[j] > 0 ? bd[j] / columns[j] : 0;
            }
            for (int i = 0; i < c; i++)
            {
                double row = Dot(_k.AsSpan(i * Stride, Stride), scaleV);
                if (!(row > 0) && ad[i] > 0)
                {
                    return -1;
                }
                scaleU[i] = ad[i] > 0 ? ad[i] / row : 0;
            }
        }
        return ToLogs(scaleU, u, c) && ToLogs(scaleV, v, c) ? done : -1;
    }

    // log of each scaling (log 0 = −∞, as the log domain gives a class without mass); false if one left the bound.
    private static bool ToLogs<T>(double[] scaling, Span<T> potentials, int classes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < classes; k++)
        {
            double log = Math.Log(scaling[k]);
            if (!(Math.Abs(log) <= Bound) && scaling[k] != 0)
            {
                return false;
            }
            potentials[k] = T.CreateChecked(log);
        }
        return true;
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

    private static double Dot(ReadOnlySpan<double> x, double[] y)
    {
        var sum = Vector<double>.Zero;
        var ys = y.AsSpan(0, x.Length);
        for (int k = 0; k < x.Length; k += Vector<double>.Count)
        {
            sum += new Vector<double>(x.Slice(k)) * new Vector<double>(ys.Slice(k));
        }
        return Vector.Sum(sum);
    }

    /// <summary>One thread's vectors, padded with zeros to the stride.</summary>
    internal sealed class Work(int classes, int stride)
    {
        public double[] A { get; } = new double[classes];

        public double[] B { get; } = new double[classes];

        public double[] U { get; } = new double[stride];

        public double[] V { get; } = new double[stride];

        public double[] Columns { get; } = new double[classes];
    }
}
