using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.InteropServices;
using EarthMover.Kernels;
using EarthMover.Kernels.Rows;
using TorchSharp;
using static EarthMover.Kernels.TensorMemory;
using static TorchSharp.torch;

namespace EarthMover.Losses.Ordinal;

/// <summary>
/// What a batch-level loss on softmax probabilities adds up (docs/math.md §20-§21), for <see cref="BatchSoftmaxLoss{T}"/>:
/// <c>Kappa</c> · QWK (or its log) + <c>Squares</c> · Σ_c MSE_c.
/// </summary>
/// <param name="Penalty">The K x K penalty ω_ij (before class weights), or null without a QWK term.</param>
/// <param name="Kappa">The weight of the QWK ratio (C for MCE + QWK, 1 for QWK).</param>
/// <param name="Logarithm">Whether the QWK term is log(ratio + ε).</param>
/// <param name="Squares">The weight of Σ_c MSE_c (1/K for a mean over classes, times 1 - C for MCE + QWK).</param>
internal sealed record BatchTerms(double[]? Penalty, double Kappa, bool Logarithm, double Squares);

/// <summary>
/// QWK, MCE and MCE + QWK of logits on the CPU in two passes over the rows instead of a graph of tensor operations
/// (docs/math.md §20-§21): the first reads and checks each row, takes its softmax p (kept in the gradient's place)
/// and adds the batch sums (the penalty-weighted confusion N = Σ_n s_n Σ_i p_ni ω_{i,y_n}, the expected one's
/// Σ_n s_n p_n·v = a·v with a_i = Σ_n s_n p_ni the predicted mass, the squared errors); the second, given the batch ratio, writes dL/dz = p ⊙ (G - p·G) with
/// G = dL/dp_n = s_n [κ (α ω_{·,y_n} - β v) + 2 μ w ⊙ (p_n - t_n) / S], v = ω b, α = 1/(D + ε), β = N α² / S.
/// Per-chunk sums are added in a fixed order: the result does not depend on thread timing.
/// </summary>
internal sealed unsafe partial class BatchSoftmaxLoss<T> : FusedLoss
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const long WorkPerWorker = 16384;

    /// <summary>
    /// Below this many entries the second pass (no exponentials: a quarter of the first's work or less) runs on the
    /// calling thread alone. A second parallel run costs more than it saves there, and on a loaded machine a helper
    /// that has taken a chunk and is then preempted holds the call for a scheduler slice: at B = 4096, K = 5, with the
    /// caller's priority raised (as BenchmarkDotNet raises it), QWK took 2.4x MCE's time, whose passes run as one.
    /// </summary>
    private const long SecondPassAlone = 65536;

    private readonly BatchTerms _terms;
    private readonly int _classes;
    private readonly double[]? _classWeight;
    private readonly double[] _weights;
    private readonly double[]? _sampleWeight;

    public BatchSoftmaxLoss(BatchTerms terms, int classes, Tensor target, double[]? classWeight, double[]? sampleWeight, nn.Reduction reduction)
        : base(target, null, reduction, logits: true)
    {
        _terms = terms;
        _classes = classes;
        _classWeight = classWeight;
        _weights = classWeight ?? Enumerable.Repeat(1.0, classes).ToArray();
        _sampleWeight = sampleWeight;
    }

    // Fully optimised at once, as the passes are: its loops over the rows and the K x K penalty run once per call,
    // and under BenchmarkDotNet's raised priority the background tier-up would leave them unoptimised.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override (Tensor Loss, Tensor? Grad) Run(Tensor input, bool needGrad)
    {
        int rows = checked((int)input.size(0));
        int k = _classes;
        using var scope = torch.NewDisposeScope();
        var target = Contiguous(Target, ScalarType.Int64);
        long* indices = Address<long>(target);
        double total = _sampleWeight?.Sum() ?? rows;
        // ωT[y, i] = ω_{i,y} w_y (the class weight scales column y), and b_j = Σ_{y_n = j} s_n.
        double[]? omegaT = null;
        var b = new double[k];
        for (int i = 0; i < rows; i++)
        {
            long y = indices[i];
            if ((ulong)y >= (ulong)k)
            {
                RowError.ThrowIfAny(RowError.NotAClass(i, y, k));
            }
            b[y] += _sampleWeight?[i] ?? 1.0;
        }
        if (_terms.Penalty is { } penalty)
        {
            // ω is symmetric (a function of |i - j|): without class weights ωT is ω itself, no K x K copy per call.
            omegaT = _classWeight is null ? penalty : new double[k * k];
            for (int y = 0; y < k && _classWeight is not null; y++)
            {
                for (int i = 0; i < k; i++)
                {
                    omegaT[y * k + i] = penalty[i * k + y] * _classWeight[y];
                }
            }
        }
        var grad = needGrad ? torch.empty_like(input) : null;
        T* x = Address<T>(input);
        T* g = grad is null ? null : Address<T>(grad);

        long work = (long)rows * k * 4;
        var options = FusedOptions.Default;
        int workers = (int)Math.Clamp(work / WorkPerWorker, 1, Math.Max(1, Math.Min(rows, options.Workers)));
        int chunks = workers == 1 ? 1 : Math.Min(rows, workers * ParallelChunks.ChunksPerWorker);
        var confusion = new double[chunks];
        var expected = new double[chunks];
        var squares = new double[chunks];
        var errors = new RowError?[chunks];
        // v = ω b (the targets' part of the expected confusion, known before the passes), a row of ωT at a time.
        var v = new double[k];
        for (int j = 0; j < k && omegaT is not null; j++)
        {
            double bj = b[j];
            for (int i = 0; i < k && bj != 0; i++)
            {
                v[i] += omegaT[j * k + i] * bj;
            }
        }
        // Each row's p·ω_y, p·v and Σ w p², from the first pass for the second (which then needs one loop per row).
        var rowTerms = g is null ? null : RentRowTerms(rows);
        int blockLanes = RowVectors.BlockLanesFor(k);
        var single = SingleTablesFor(omegaT, v);
        void First(int c)
        {
            var (first, end) = ParallelChunks.Range(c, chunks, rows);
            double chunkConfusion = 0, chunkExpected = 0, chunkSquares = 0;
            // Narrow rows a block at a time; the rows past the last whole block (or from a bad value on) one at a time.
            int next = blockLanes switch
            {
                8 => FirstBlocks<Lanes512>(x, g, indices, omegaT, v, first, end, ref chunkConfusion, ref chunkExpected, ref chunkSquares),
                4 => FirstBlocks<Lanes256>(x, g, indices, omegaT, v, first, end, ref chunkConfusion, ref chunkExpected, ref chunkSquares),
                _ => first,
            };
            errors[c] = single is not null
                ? FirstPassSingle((float*)x, (float*)g, indices, single, rowTerms, next, end, ref chunkConfusion, ref chunkExpected, ref chunkSquares)
                : RowVectors.LanesFor(k) switch
            {
                8 => FirstPass<Lanes512>(x, g, indices, omegaT, v, rowTerms, next, end, ref chunkConfusion, ref chunkExpected, ref chunkSquares),
                4 => FirstPass<Lanes256>(x, g, indices, omegaT, v, rowTerms, next, end, ref chunkConfusion, ref chunkExpected, ref chunkSquares),
                _ => FirstPass<LanesScalar>(x, g, indices, omegaT, v, rowTerms, next, end, ref chunkConfusion, ref chunkExpected, ref chunkSquares),
            };
            confusion[c] = chunkConfusion;
            expected[c] = chunkExpected;
            squares[c] = chunkSquares;
        }
        void Second(int c, Coefficients coefficients)
        {
            var (first, end) = ParallelChunks.Range(c, chunks, rows);
            int next = blockLanes switch
            {
                8 => SecondBlocks<Lanes512>(g, indices, omegaT, v, coefficients, first, end),
                4 => SecondBlocks<Lanes256>(g, indices, omegaT, v, coefficients, first, end),
                _ => first,
            };
            if (single is not null)
            {
                SecondPassSingle((float*)g, indices, single, rowTerms!, coefficients, next, end);
                return;
            }
            switch (RowVectors.LanesFor(k))
            {
                case 8:
                    SecondPass<Lanes512>(g, indices, omegaT, v, rowTerms!, coefficients, next, end);
                    break;
                case 4:
                    SecondPass<Lanes256>(g, indices, omegaT, v, rowTerms!, coefficients, next, end);
                    break;
                default:
                    SecondPass<LanesScalar>(g, indices, omegaT, v, rowTerms!, coefficients, next, end);
                    break;
            }
        }
        // MCE alone: its gradient needs no batch sum but S, known already, so each chunk's second pass follows its
        // first, on rows still in cache, in one parallel run.
        bool alone = omegaT is null && g is not null;
        var squaresOnly = new Coefficients(0, 0, 2 * _terms.Squares / total);
        Run(chunks, workers, options, alone ? c =>
        {
            First(c);
            if (errors[c] is null)
            {
                Second(c, squaresOnly);
            }
        }
        : First);
        foreach (var error in errors)
        {
            RowError.ThrowIfAny(error);
        }
        double numerator = 0, denominator = 0, squared = 0;
        for (int c = 0; c < chunks; c++)
        {
            numerator += confusion[c];
            denominator += expected[c];
            squared += squares[c];
        }
        // D = a·v / S, ratio = N / (D + ε).
        denominator /= total;
        double ratio = omegaT is null ? 0 : numerator / (denominator + QwkDefinition.Epsilon);
        double kappaTerm = _terms.Logarithm ? Math.Log(ratio + QwkDefinition.Epsilon) : ratio;
        double value = (omegaT is null ? 0 : _terms.Kappa * kappaTerm) + _terms.Squares * squared / total;
        if (g is not null && !alone)
        {
            double alpha = 1 / (denominator + QwkDefinition.Epsilon);
            double kappa = _terms.Kappa * (_terms.Logarithm ? 1 / (ratio + QwkDefinition.Epsilon) : 1.0);
            var coefficients = new Coefficients(kappa * alpha, kappa * numerator * alpha * alpha / total, 2 * _terms.Squares / total);
            if ((long)rows * k < SecondPassAlone)
            {
                // The chunks of the first pass (the row terms are where it left them), on this thread alone.
                for (int c = 0; c < chunks; c++)
                {
                    Second(c, coefficients);
                }
            }
            else
            {
                Run(chunks, workers, options, c => Second(c, coefficients));
            }
        }
        if (rowTerms is not null)
        {
            Volatile.Write(ref _spareRowTerms, rowTerms);
        }
        var loss = torch.tensor(value, dtype: input.dtype);
        loss.MoveToOuterDisposeScope();
        grad?.MoveToOuterDisposeScope();
        return (loss, grad);
    }

    // One call's row terms kept for the next (4096 rows: 96 kB, which would otherwise be a large-object allocation per call).
    private static double[]? _spareRowTerms;

    private static double[] RentRowTerms(int rows)
    {
        var spare = Interlocked.Exchange(ref _spareRowTerms, null);
        return spare is not null && spare.Length >= 3 * rows ? spare : new double[3 * rows];
    }

    /// <summary>α κ, β κ and 2 μ / S: the factors of dL/dp per unit of sample weight.</summary>
    private readonly record struct Coefficients(double Confusion, double Expected, double Squares);

    private static void Run(int chunks, int workers, FusedOptions options, Action<int> body)
    {
        if (chunks == 1)
        {
            body(0);
        }
        else
        {
            ParallelChunks.Run(chunks, workers, options.Threads, body);
        }
    }

    /// <summary>Rows [first, end): checks, softmax into the gradient's place, and the chunk's sums (added to).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private RowError? FirstPass<TL>(T* input, T* grad, long* indices, double[]? omegaT, double[] v, double[]? rowTerms, int first, int end, ref double confusion, ref double expectedMass, ref double squares)
        where TL : struct, ILanes<TL>
    {
        int k = _classes;
        // x and p are this thread's row buffers.
        ref double v0 = ref v[0];
        var weights = _weights;
        ref double w0 = ref weights[0];
        var buffers = RowBuffers.ForThisThread(k);
        var x = buffers.Values.AsSpan(0, k);
        var p = buffers.Gradient.AsSpan(0, k);
        ref double x0 = ref MemoryMarshal.GetReference(x);
        ref double p0 = ref MemoryMarshal.GetReference(p);
        int last = k - TL.Count;
        for (int n = first; n < end; n++)
        {
            if (!RawRowLoss<T>.Widen(new ReadOnlySpan<T>(input + (long)n * k, k), x, unit: false))
            {
                return RowError.NonFiniteLogits(n);
            }
            int y = (int)indices[n];
            double s = _sampleWeight?[n] ?? 1.0;
            // Softmax: e^(x - max) / Σ, a vector at a time (the last one overlapping, its repeated lanes masked).
            var top = TL.Create(double.NegativeInfinity);
            for (int c = 0; c < k; c += TL.Count)
            {
                top = TL.Max(top, TL.Load(ref x0, Math.Min(c, last)));
            }
            double total;
            if (typeof(T) == typeof(float) && SingleExp.IsSupported)
            {
                // float32 logits: their exponentials in single precision, twice the lanes (SingleExp).
                total = SingleExp.Row((float*)(input + (long)n * k), k, (float)TL.MaxOf(top), p);
            }
            else
            {
                var max = TL.Create(TL.MaxOf(top));
                var sum = TL.Zero;
                for (int c = 0; c < k; c += TL.Count)
                {
                    int start = Math.Min(c, last);
                    var e = TL.Exp(TL.Load(ref x0, start) - max);
                    e.Store(ref p0, start);
                    sum += TL.GreaterThanOrEqual(TL.Indices + TL.Create(start), TL.Create(c)) & e;
                }
                total = TL.Sum(sum);
            }
            var scale = TL.Create(1 / total);
            TL dot = TL.Zero, expected = TL.Zero, squared = TL.Zero;
            for (int c = 0; c < k; c += TL.Count)
            {
                int start = Math.Min(c, last);
                var fresh = TL.GreaterThanOrEqual(TL.Indices + TL.Create(start), TL.Create(c));
                var pv = TL.Load(ref p0, start) * scale;
                if (start == c)
                {
                    pv.Store(ref p0, start);
                }
                else
                {
                    // The overlapped lanes were scaled already: store only the new ones.
                    TL.Select(fresh, pv, TL.Load(ref p0, start)).Store(ref p0, start);
                    pv = TL.Load(ref p0, start);
                }
                if (omegaT is not null)
                {
                    dot += fresh & (pv * TL.Load(ref omegaT[y * k], start));
                    expected += fresh & (pv * TL.Load(ref v0, start));
                }
                squared += fresh & (TL.Load(ref w0, start) * pv * pv);
            }
            // Σ_i w_i (t_i - p_i)² = Σ_i w_i p_i² + w_y (1 - 2 p_y).
            double wy = weights[y];
            double rowDot = TL.Sum(dot), rowExpected = TL.Sum(expected), rowSquared = TL.Sum(squared);
            confusion += s * rowDot;
            expectedMass += s * rowExpected;
            squares += s * (rowSquared + wy * (1 - 2 * p[y]));
            if (rowTerms is not null)
            {
                rowTerms[3 * n] = rowDot;
                rowTerms[3 * n + 1] = rowExpected;
                rowTerms[3 * n + 2] = rowSquared;
            }
            if (grad is not null)
            {
                RawRowLoss<T>.Narrow(p, new Span<T>(grad + (long)n * k, k), 1.0);
            }
        }
        return null;
    }

    /// <summary>
    /// Rows [first, end): dL/dz = p ⊙ (G - p·G) from the probabilities in the gradient's place, p·G from the first
    /// pass's row terms (G is linear in p, ω_y and v): one loop per row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SecondPass<TL>(T* grad, long* indices, double[]? omegaT, double[] v, double[] rowTerms, Coefficients f, int first, int end)
        where TL : struct, ILanes<TL>
    {
        int k = _classes;
        var buffers = RowBuffers.ForThisThread(k);
        var p = buffers.Gradient.AsSpan(0, k);
        var gp = buffers.Values.AsSpan(0, k);
        ref double p0 = ref MemoryMarshal.GetReference(p);
        ref double g0 = ref MemoryMarshal.GetReference(gp);
        ref double v0 = ref v[0];
        var weights = _weights;
        ref double w0 = ref weights[0];
        int last = k - TL.Count;
        for (int n = first; n < end; n++)
        {
            var row = new Span<T>(grad + (long)n * k, k);
            RawRowLoss<T>.Widen(row, p, unit: false);
            int y = (int)indices[n];
            double s = _sampleWeight?[n] ?? 1.0;
            var confusion = TL.Create(s * f.Confusion);
            var expected = TL.Create(s * f.Expected);
            var squares = TL.Create(s * f.Squares);
            // The one-hot target's part of the squared error: -2 μ s w_y / S at the true class.
            double fix = s * f.Squares * weights[y];
            double dot = s * (f.Confusion * rowTerms[3 * n] - f.Expected * rowTerms[3 * n + 1] + f.Squares * rowTerms[3 * n + 2]) - fix * p[y];
            var d = TL.Create(dot);
            // The last vector overlaps finished lanes and stores the same values there again.
            for (int c = 0; c < k; c += TL.Count)
            {
                int start = Math.Min(c, last);
                var pv = TL.Load(ref p0, start);
                var gv = squares * TL.Load(ref w0, start) * pv;
                if (omegaT is not null)
                {
                    gv += confusion * TL.Load(ref omegaT[y * k], start) - expected * TL.Load(ref v0, start);
                }
                (pv * (gv - d)).Store(ref g0, start);
            }
            gp[y] -= p[y] * fix;
            RawRowLoss<T>.Narrow(gp, row, 1.0);
        }
    }
}
