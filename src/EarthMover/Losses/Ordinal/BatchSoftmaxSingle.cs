using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EarthMover.Kernels;
using EarthMover.Kernels.Rows;

namespace EarthMover.Losses.Ordinal;

/// <summary>
/// The two passes of <see cref="BatchSoftmaxLoss{T}"/> on float32 rows of 8 classes or more, in single precision, 8
/// lanes a vector, read from the input and written into the gradient without double copies (as the raw-row kernels'
/// <see cref="ISingleRowKernel"/>). Every row sum they form has terms of one sign; the sums over rows are in double.
/// </summary>
internal sealed unsafe partial class BatchSoftmaxLoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic]
    private static float[]? _singleRow;

    /// <summary>The float32 copies of ωT, v and the class weights a call's single-precision passes read.</summary>
    private sealed record SingleTables(float[]? OmegaT, float[] V, float[] Weights);

    /// <summary>Rows [first, end) of float32 logits: checks, softmax into the gradient's place, and the chunk's sums (added to).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private RowError? FirstPassSingle(float* input, float* grad, long* indices, SingleTables tables, double[]? rowTerms, int first, int end, ref double confusion, ref double expectedMass, ref double squares)
    {
        int k = _classes;
        const int lanes = SingleLanes.Count;
        var buffer = _singleRow is { } b0 && b0.Length >= k ? b0 : (_singleRow = new float[k]);
        // QWK alone (no MCE term) has no use for the squares.
        bool withSquares = _terms.Squares != 0;
        fixed (float* own = buffer)
        fixed (float* v0 = tables.V)
        fixed (float* w0 = tables.Weights)
        fixed (float* o0 = tables.OmegaT)
        {
            for (int n = first; n < end; n++)
            {
                var row = new ReadOnlySpan<float>(input + (long)n * k, k);
                if (!SingleLanes.Finite(row))
                {
                    return RowError.NonFiniteLogits(n);
                }
                int y = (int)indices[n];
                double s = _sampleWeight?[n] ?? 1.0;
                float* x = input + (long)n * k;
                float* p = grad is null ? own : grad + (long)n * k;
                float* omega = o0 + (long)y * k;
                var max = Vector256.Create(SingleLanes.Max(new ReadOnlySpan<float>(x, k)));
                var sum = Vector256<float>.Zero;
                for (int c = 0; c < k; c += lanes)
                {
                    int start = SingleLanes.Start(c, k, out _, out var fresh);
                    var e = SingleExp.Exp(Vector256.Load(x + start) - max);
                    e.Store(p + start);
                    sum += fresh & e;
                }
                var scale = Vector256.Create((float)(1 / SingleLanes.Sum(sum)));
                Vector256<float> dot = default, expected = default, squared = default;
                for (int c = 0; c < k; c += lanes)
                {
                    int start = SingleLanes.Start(c, k, out _, out var fresh);
                    // The overlapped lanes were scaled already: only the new ones are.
                    var pv = Vector256.Load(p + start);
                    pv = Vector256.ConditionalSelect(fresh, pv * scale, pv);
                    pv.Store(p + start);
                    if (o0 is not null)
                    {
                        dot += fresh & (pv * Vector256.Load(omega + start));
                        expected += fresh & (pv * Vector256.Load(v0 + start));
                    }
                    if (withSquares)
                    {
                        squared += fresh & (Vector256.Load(w0 + start) * pv * pv);
                    }
                }
                double rowDot = SingleLanes.Sum(dot), rowExpected = SingleLanes.Sum(expected), rowSquared = SingleLanes.Sum(squared);
                // Σ_i w_i (t_i - p_i)² = Σ_i w_i p_i² + w_y (1 - 2 p_y).
                confusion += s * rowDot;
                expectedMass += s * rowExpected;
                squares += s * (rowSquared + _weights[y] * (1 - 2.0 * p[y]));
                if (rowTerms is not null)
                {
                    rowTerms[3 * n] = rowDot;
                    rowTerms[3 * n + 1] = rowExpected;
                    rowTerms[3 * n + 2] = rowSquared;
                }
            }
        }
        return null;
    }

    /// <summary>
    /// Rows [first, end): dL/dz = p ⊙ (G - p·G) in place of the probabilities, as <see cref="SecondPass{TL}"/>; the last,
    /// overlapping vector is computed first (from probabilities not yet overwritten) and stored last.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SecondPassSingle(float* grad, long* indices, SingleTables tables, double[] rowTerms, Coefficients f, int first, int end)
    {
        int k = _classes;
        const int lanes = SingleLanes.Count;
        int last = k - lanes;
        fixed (float* v0 = tables.V)
        fixed (float* weights = tables.Weights)
        fixed (float* o0 = tables.OmegaT)
        {
            // QWK alone (no MCE term): no squares' part in G.
            float* w0 = _terms.Squares != 0 ? weights : null;
            for (int n = first; n < end; n++)
            {
                float* p = grad + (long)n * k;
                int y = (int)indices[n];
                double s = _sampleWeight?[n] ?? 1.0;
                float* omega = o0 + (long)y * k;
                var confusionV = Vector256.Create((float)(s * f.Confusion));
                var expectedV = Vector256.Create((float)(s * f.Expected));
                var squaresV = Vector256.Create((float)(s * f.Squares));
                // The one-hot target's part of the squared error: -2 μ s w_y / S at the true class.
                double fix = s * f.Squares * _weights[y];
                float py = p[y];
                double dot = s * (f.Confusion * rowTerms[3 * n] - f.Expected * rowTerms[3 * n + 1] + f.Squares * rowTerms[3 * n + 2]) - fix * py;
                var d = Vector256.Create((float)dot);
                var terms = new SecondTerms(confusionV, expectedV, squaresV, d);
                var tail = SecondVector(p, w0, o0 is null ? null : omega, v0, last, terms);
                for (int c = 0; c < last; c += lanes)
                {
                    SecondVector(p, w0, o0 is null ? null : omega, v0, c, terms).Store(p + c);
                }
                tail.Store(p + last);
                p[y] -= (float)(py * fix);
            }
        }
    }

    /// <summary>A row's factors of the second pass: α κ s, β κ s, 2 μ s / S, and p·G.</summary>
    private readonly record struct SecondTerms(Vector256<float> Confusion, Vector256<float> Expected, Vector256<float> Squares, Vector256<float> Dot);

    /// <summary>
    /// p ⊙ (G - p·G) for the 8 classes from <paramref name="start"/>, G = squares w ⊙ p + confusion ωT_y - expected v
    /// (without the squares' part where <paramref name="w"/> is null, without the kappa's where <paramref name="omega"/> is).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> SecondVector(float* p, float* w, float* omega, float* v, int start, in SecondTerms terms)
    {
        var pv = Vector256.Load(p + start);
        var gv = w is null ? Vector256<float>.Zero : terms.Squares * Vector256.Load(w + start) * pv;
        if (omega is not null)
        {
            gv += terms.Confusion * Vector256.Load(omega + start) - terms.Expected * Vector256.Load(v + start);
        }
        return pv * (gv - terms.Dot);
    }

    /// <summary>The float32 tables of a call, or null where the single-precision passes do not apply (double input, rows under 8, no AVX2).</summary>
    private SingleTables? SingleTablesFor(double[]? omegaT, double[] v)
    {
        if (typeof(T) != typeof(float) || _classes < SingleLanes.Count || !SingleExp.IsSupported)
        {
            return null;
        }
        var omega = omegaT is null ? null : SinglePenalties.GetValue(omegaT, o => Array.ConvertAll(o, x => (float)x));
        return new(omega, Array.ConvertAll(v, x => (float)x), Array.ConvertAll(_weights, x => (float)x));
    }

    // ωT's float32 copy, kept beside it (without class weights ωT is the cached penalty itself, the same each call).
    private static readonly ConditionalWeakTable<double[], float[]> SinglePenalties = new();
}
