using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EarthMover.Kernels.Rows;

namespace EarthMover.Losses.Ordinal;

/// <summary>
/// The two passes of <see cref="BatchSoftmaxLoss{T}"/> on rows narrower than 16 values, a block of rows at a time,
/// one row per lane (<see cref="RowBlock{T}"/>): one exponential per class for the block instead of one or two
/// partly masked vectors per row. Each returns the row it stopped at; the caller's row-by-row pass does the rest.
/// </summary>
internal sealed unsafe partial class BatchSoftmaxLoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// The first pass on the whole blocks of rows [first, end) (until one holds a bad value, left to the row-by-row
    /// pass to name): softmax into the gradient's place, the chunk's sums added to.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private int FirstBlocks<TL>(T* input, T* grad, long* indices, double[]? omegaT, double[] v, int first, int end, ref double confusion, ref double expectedMass, ref double squares)
        where TL : struct, ILanes<TL>
    {
        int k = _classes;
        int lanes = TL.Count;
        int size = k * lanes;
        var work = RowBuffers.ForThisThread(2 * size).Values;
        // The block's probabilities and its rows' columns of ωT.
        ref double p0 = ref work[0];
        ref double o0 = ref work[size];
        Span<double> s = stackalloc double[lanes];
        Span<double> sums = stackalloc double[3 * lanes];
        Span<double> ones = stackalloc double[lanes];
        ones.Fill(1.0);
        int n = first;
        for (; n + lanes <= end; n += lanes)
        {
            if (!RowBlock<T>.Read(input, n, lanes, k, work.AsSpan(0, size)))
            {
                break;
            }
            Gather(indices, omegaT, n, lanes, work.AsSpan(size, size), s);
            var max = TL.Load(ref p0, 0);
            for (int c = 1; c < k; c++)
            {
                max = TL.Max(max, TL.Load(ref p0, c * lanes));
            }
            var total = TL.Zero;
            for (int c = 0; c < k; c++)
            {
                var e = TL.Exp(TL.Load(ref p0, c * lanes) - max);
                e.Store(ref p0, c * lanes);
                total += e;
            }
            var scale = TL.Reciprocal(total);
            TL dot = TL.Zero, expected = TL.Zero, squared = TL.Zero;
            for (int c = 0; c < k; c++)
            {
                var pv = TL.Load(ref p0, c * lanes) * scale;
                pv.Store(ref p0, c * lanes);
                if (omegaT is not null)
                {
                    dot += pv * TL.Load(ref o0, c * lanes);
                    expected += pv * TL.Create(v[c]);
                }
                squared += TL.Create(_weights[c]) * pv * pv;
            }
            dot.Store(ref sums[0], 0);
            squared.Store(ref sums[lanes], 0);
            expected.Store(ref sums[2 * lanes], 0);
            for (int r = 0; r < lanes; r++)
            {
                // Σ_i w_i (t_i - p_i)² = Σ_i w_i p_i² + w_y (1 - 2 p_y).
                int y = (int)indices[n + r];
                confusion += s[r] * sums[r];
                expectedMass += s[r] * sums[2 * lanes + r];
                squares += s[r] * (sums[lanes + r] + _weights[y] * (1 - 2 * work[y * lanes + r]));
            }
            if (grad is not null)
            {
                RowBlock<T>.Write(work.AsSpan(0, size), ones, grad, n, lanes, k);
            }
        }
        return n;
    }

    /// <summary>The second pass on the whole blocks of rows [first, end): dL/dz = p ⊙ (G - p·G) from the probabilities in the gradient's place.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private int SecondBlocks<TL>(T* grad, long* indices, double[]? omegaT, double[] v, Coefficients f, int first, int end)
        where TL : struct, ILanes<TL>
    {
        int k = _classes;
        int lanes = TL.Count;
        int size = k * lanes;
        var buffers = RowBuffers.ForThisThread(2 * size);
        var work = buffers.Values;
        var gradient = buffers.Gradient.AsSpan(0, size);
        ref double p0 = ref work[0];
        ref double o0 = ref work[size];
        ref double g0 = ref gradient[0];
        Span<double> s = stackalloc double[lanes];
        Span<double> ones = stackalloc double[lanes];
        ones.Fill(1.0);
        int n = first;
        for (; n + lanes <= end; n += lanes)
        {
            RowBlock<T>.Read(grad, n, lanes, k, work.AsSpan(0, size));
            Gather(indices, omegaT, n, lanes, work.AsSpan(size, size), s);
            var sv = TL.Load(ref MemoryMarshal.GetReference(s), 0);
            var confusion = sv * TL.Create(f.Confusion);
            var expected = sv * TL.Create(f.Expected);
            var squares = sv * TL.Create(f.Squares);
            for (int c = 0; c < k; c++)
            {
                var gv = squares * TL.Create(_weights[c]) * TL.Load(ref p0, c * lanes);
                if (omegaT is not null)
                {
                    gv += confusion * TL.Load(ref o0, c * lanes) - expected * TL.Create(v[c]);
                }
                gv.Store(ref g0, c * lanes);
            }
            for (int r = 0; r < lanes; r++)
            {
                // The one-hot target's part of the squared error: -2 μ s w_y / S at the true class.
                int y = (int)indices[n + r];
                gradient[y * lanes + r] -= s[r] * f.Squares * _weights[y];
            }
            var dot = TL.Zero;
            for (int c = 0; c < k; c++)
            {
                dot += TL.Load(ref p0, c * lanes) * TL.Load(ref g0, c * lanes);
            }
            for (int c = 0; c < k; c++)
            {
                (TL.Load(ref p0, c * lanes) * (TL.Load(ref g0, c * lanes) - dot)).Store(ref g0, c * lanes);
            }
            RowBlock<T>.Write(gradient, ones, grad, n, lanes, k);
        }
        return n;
    }

    /// <summary>The block's sample weights, and its rows' columns ω_{·,y} of the penalty, class-major (none without a QWK term).</summary>
    /// <remarks>
    /// Compiled fully optimised at once, as the passes are: called once per block, its unoptimised first tier cost
    /// QWK 2-3x MCE's time under BenchmarkDotNet, whose raised priority starves the background tier-up.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Gather(long* indices, double[]? omegaT, int n, int lanes, Span<double> omega, Span<double> s)
    {
        int k = _classes;
        for (int r = 0; r < lanes; r++)
        {
            s[r] = _sampleWeight?[n + r] ?? 1.0;
            if (omegaT is not null)
            {
                int at = (int)indices[n + r] * k;
                for (int c = 0; c < k; c++)
                {
                    omega[c * lanes + r] = omegaT[at + c];
                }
            }
        }
    }
}
