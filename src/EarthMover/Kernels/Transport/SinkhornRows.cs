using System.Numerics;
using System.Runtime.CompilerServices;
using static EarthMover.Kernels.TensorMemory;

namespace EarthMover.Kernels.Transport;

/// <summary>
/// The log-domain Sinkhorn iterations of <c>sinkhorn_loss</c> (docs/math.md §11) on the CPU, row by row: the
/// updates of the tensor form, v_j = log b_j − LSE_i(M_ij + u_i) and u_i = log a_i − LSE_j(M_ij + v_j) with
/// M = −D/ε, each log-sum-exp a vectorised pass over one row of M (or of Mᵀ). The tensor form makes a
/// B x C x C temporary for every log-sum-exp and reads it several times, so it is bound by memory (about 25 ms an
/// iteration at 256 x 100 on a 2-core machine); here nothing larger than a row is made. Rows are independent
/// problems and are spread over the losses' worker threads; each row stops on its own once its column marginals
/// are within the tolerance. Where M ≥ −230 a row first runs the same iterations in the scaling domain
/// (<see cref="ScaledSinkhorn"/>: matrix-vector products instead of exponentials), and comes back here only if its
/// sums leave the range where that is exact.
/// </summary>
internal static unsafe class SinkhornRows
{
    /// <summary>Whether this form runs for these marginals: CPU tensors of float32 or float64.</summary>
    public static bool Applies(Tensor a) =>
        a.device_type == DeviceType.CPU && a.dtype is ScalarType.Float32 or ScalarType.Float64;

    /// <summary>
    /// The dual potentials (u, v) in log form after at most <paramref name="maxIter"/> iterations from u = v = 0;
    /// every <paramref name="checkEvery"/> iterations (the first included) a row stops if the L2 norm of its
    /// column marginals minus b is below <paramref name="tol"/>.
    /// </summary>
    /// <param name="a">N x C row marginals (each row sums to 1; zeros allowed).</param>
    /// <param name="b">N x C column marginals.</param>
    /// <param name="mr">C x C, −D/ε.</param>
    /// <param name="maxIter">The iteration cap.</param>
    /// <param name="tol">The stopping threshold (0: run every iteration).</param>
    /// <param name="checkEvery">How often a row's marginal error is checked.</param>
    /// <param name="iterations">If given (N entries), receives the number of iterations each row ran.</param>
    public static (Tensor U, Tensor V) Iterate(Tensor a, Tensor b, Tensor mr, int maxIter, double tol, int checkEvery, int[]? iterations = null) =>
        (a.dtype, KernelWidths.Current) switch
        {
            (ScalarType.Float32, KernelWidth.Simd256) => Run<float, Simd256<float>>(a, b, mr, maxIter, tol, checkEvery, iterations),
            (ScalarType.Float32, KernelWidth.Simd128x2) => Run<float, Simd128x2<float>>(a, b, mr, maxIter, tol, checkEvery, iterations),
            (ScalarType.Float32, _) => Run<float, SimdScalar<float>>(a, b, mr, maxIter, tol, checkEvery, iterations),
            (_, KernelWidth.Simd256) => Run<double, Simd256<double>>(a, b, mr, maxIter, tol, checkEvery, iterations),
            (_, KernelWidth.Simd128x2) => Run<double, Simd128x2<double>>(a, b, mr, maxIter, tol, checkEvery, iterations),
            _ => Run<double, SimdScalar<double>>(a, b, mr, maxIter, tol, checkEvery, iterations),
        };

    private static (Tensor U, Tensor V) Run<T, TV>(Tensor a, Tensor b, Tensor mr, int maxIter, double tol, int checkEvery, int[]? iterations)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged, ISimd<TV, T>
    {
        using var scope = torch.NewDisposeScope();
        int rows = (int)a.size(0), classes = (int)a.size(1);
        var ac = Contiguous(a, a.dtype);
        var bc = Contiguous(b, a.dtype);
        var u = torch.zeros(rows, classes, dtype: a.dtype);
        var v = torch.zeros(rows, classes, dtype: a.dtype);
        // M by rows (for the u update) and by columns (for the v update), so that both passes read contiguously;
        // each row padded with −∞ to whole vectors, so that the passes need no scalar tail.
        int stride = (classes + TV.Count - 1) / TV.Count * TV.Count;
        var values = Contiguous(mr, a.dtype).data<T>().ToArray();
        var m = Padded(values, classes, stride);
        var mt = Padded(Contiguous(mr.t(), a.dtype).data<T>().ToArray(), classes, stride);
        var job = new Job<T>(Address<T>(ac), Address<T>(bc), Address<T>(u), Address<T>(v), m, mt, classes, stride, maxIter, tol * tol, checkEvery, iterations)
        {
            Scaled = ScaledSinkhorn.For<T>(values, classes),
        };

        // A row costs 2 C² exponentials an iteration: even one row is worth a helper from a few classes on.
        var options = FusedOptions.Default;
        int workers = Math.Min(rows, options.Workers);
        if (workers <= 1)
        {
            Rows<T, TV>(job, 0, rows);
        }
        else
        {
            int chunks = Math.Min(rows, workers * ParallelChunks.ChunksPerWorker);
            ParallelChunks.Run(chunks, workers, options.Threads, c =>
            {
                var (first, end) = ParallelChunks.Range(c, chunks, rows);
                Rows<T, TV>(job, first, end);
            });
        }
        return (u.MoveToOuterDisposeScope(), v.MoveToOuterDisposeScope());
    }

    // C rows of C values, each followed by −∞ up to the stride; pinned, read by address.
    private static T[] Padded<T>(T[] values, int classes, int stride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var padded = GC.AllocateUninitializedArray<T>(classes * stride, pinned: true);
        padded.AsSpan().Fill(T.NegativeInfinity);
        for (int i = 0; i < classes; i++)
        {
            for (int j = 0; j < classes; j++)
            {
                padded[i * stride + j] = values[i * classes + j];
            }
        }
        return padded;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows<T, TV>(Job<T> job, int first, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged, ISimd<TV, T>
    {
        int c = job.Classes, stride = job.Stride;
        T tolSquared = T.CreateChecked(job.TolSquared);
        var logA = new T[c];
        var logB = new T[c];
        var columnSums = new T[c]; // LSE_i(M_ij + u_i) for each column j
        // This row's potentials, padded with zeros (the padding of M is −∞, so those terms vanish).
        var u = GC.AllocateArray<T>(stride, pinned: true);
        var v = GC.AllocateArray<T>(stride, pinned: true);
        var scaledWork = job.Scaled?.NewWork();
        fixed (T* m = job.M, mt = job.MT, pu = u, pv = v)
        {
            for (int row = first; row < end; row++)
            {
                long offset = (long)row * c;
                var a = new ReadOnlySpan<T>(job.A + offset, c);
                var b = new ReadOnlySpan<T>(job.B + offset, c);
                // The scaling domain where it is exact (the usual case); the log domain for the rest.
                int scaled = job.Scaled is { } scaling
                    ? scaling.Solve(scaledWork!, a, b, new Span<T>(job.U + offset, c), new Span<T>(job.V + offset, c), job.MaxIterations, job.TolSquared, job.CheckEvery)
                    : -1;
                if (scaled >= 0)
                {
                    if (job.Iterations is { } scaledCounts)
                    {
                        scaledCounts[row] = scaled;
                    }
                    continue;
                }
                for (int k = 0; k < c; k++)
                {
                    logA[k] = T.Log(a[k]); // −∞ where the mass is 0: that class then takes no part
                    logB[k] = T.Log(b[k]);
                }
                Array.Clear(u);
                Array.Clear(v);
                int done = job.MaxIterations;
                for (int iteration = 0; iteration < job.MaxIterations; iteration++)
                {
                    for (int j = 0; j < c; j++)
                    {
                        columnSums[j] = LogSumExp<T, TV>(mt + (long)j * stride, pu, stride);
                    }
                    // The previous iteration's column marginals, exp(v_j + LSE_i(M_ij + u_i)), use these same sums:
                    // its check is made here, before v moves on, rather than computing them twice.
                    if (iteration > 0 && (iteration - 1) % job.CheckEvery == 0 && MarginalErrorSquared(columnSums, pv, b) < tolSquared)
                    {
                        done = iteration;
                        break;
                    }
                    for (int j = 0; j < c; j++)
                    {
                        pv[j] = logB[j] - columnSums[j];
                    }
                    for (int i = 0; i < c; i++)
                    {
                        pu[i] = logA[i] - LogSumExp<T, TV>(m + (long)i * stride, pv, stride);
                    }
                }
                u.AsSpan(0, c).CopyTo(new Span<T>(job.U + offset, c));
                v.AsSpan(0, c).CopyTo(new Span<T>(job.V + offset, c));
                if (job.Iterations is { } counts)
                {
                    counts[row] = done;
                }
            }
        }
    }

    // Σ_j (Σ_i exp(M_ij + u_i + v_j) − b_j)², from each column's log-sum-exp LSE_i(M_ij + u_i).
    private static T MarginalErrorSquared<T>(ReadOnlySpan<T> columnSums, T* v, ReadOnlySpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T error = T.Zero;
        for (int j = 0; j < b.Length; j++)
        {
            T difference = T.Exp(v[j] + columnSums[j]) - b[j];
            error += difference * difference;
        }
        return error;
    }

    /// <summary>log Σ_k exp(row_k + add_k) over <paramref name="length"/> values (a whole number of vectors), −∞ when every term is −∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T LogSumExp<T, TV>(T* row, T* add, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged, ISimd<TV, T>
    {
        int lanes = TV.Count;
        var maxes = TV.Create(T.NegativeInfinity);
        for (int k = 0; k < length; k += lanes)
        {
            maxes = TV.MaxNative(maxes, Unsafe.ReadUnaligned<TV>(row + k) + Unsafe.ReadUnaligned<TV>(add + k));
        }
        T max = maxes[0];
        for (int lane = 1; lane < lanes; lane++)
        {
            max = T.Max(max, maxes[lane]);
        }
        if (T.IsNegativeInfinity(max))
        {
            return max;
        }
        // The exponential clears terms below e^-40 (float) or e^-600 (double) beside the largest, which is 1:
        // far below the last bit of the sum (the padding's −∞ among them).
        var sums = TV.Zero;
        var maxVector = TV.Create(max);
        for (int k = 0; k < length; k += lanes)
        {
            sums += VectorMath<T, TV>.ExpOfDifference(Unsafe.ReadUnaligned<TV>(row + k) + Unsafe.ReadUnaligned<TV>(add + k), maxVector);
        }
        T sum = sums[0];
        for (int lane = 1; lane < lanes; lane++)
        {
            sum += sums[lane];
        }
        return max + T.Log(sum);
    }

    /// <summary>The addresses and settings every worker reads.</summary>
    private readonly struct Job<T>(T* a, T* b, T* u, T* v, T[] m, T[] mt, int classes, int stride, int maxIterations, double tolSquared, int checkEvery, int[]? iterations)
        where T : unmanaged
    {
        public T* A { get; } = a;

        public T* B { get; } = b;

        public T* U { get; } = u;

        public T* V { get; } = v;

        /// <summary>M = −D/ε by rows, each padded to <see cref="Stride"/> with −∞; pinned.</summary>
        public T[] M { get; } = m;

        /// <summary>Mᵀ by rows, padded as <see cref="M"/>; pinned.</summary>
        public T[] MT { get; } = mt;

        public int Classes { get; } = classes;

        /// <summary>Values per padded row: C rounded up to whole vectors.</summary>
        public int Stride { get; } = stride;

        public int MaxIterations { get; } = maxIterations;

        public double TolSquared { get; } = tolSquared;

        public int CheckEvery { get; } = checkEvery;

        /// <summary>Where each row's number of iterations goes, or null.</summary>
        public int[]? Iterations { get; } = iterations;

        /// <summary>The scaling-domain form of M, where it is exact; null otherwise.</summary>
        public ScaledSinkhorn? Scaled { get; init; }
    }
}
