using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static EarthMover.Kernels.TensorMemory;

namespace EarthMover.Kernels;

/// <summary>
/// One call of a loss on the CPU, computed in a single fused pass: softmax, loss and gradient together,
/// with no intermediate tensors. Rows are processed a tile at a time (as many rows as a vector has lanes).
/// Shapes are checked by the caller; values (class indices, distributions, finite logits) are checked
/// here, as the rows are read.
/// </summary>
internal abstract class FusedLoss
{
    protected FusedLoss(Tensor target, Tensor? weight, nn.Reduction reduction, bool logits)
    {
        Target = target;
        Weight = weight;
        Reduction = reduction;
        Logits = logits;
    }

    public Tensor Target { get; }

    public Tensor? Weight { get; }

    public nn.Reduction Reduction { get; }

    public bool Logits { get; }

    /// <summary>Computes the loss and, when asked, the gradient with respect to <paramref name="input"/>, already scaled for the reduction.</summary>
    /// <param name="input">A contiguous CPU tensor N x C of the kernel's element type.</param>
    /// <param name="needGrad">Whether to compute the gradient.</param>
    public abstract (Tensor Loss, Tensor? Grad) Run(Tensor input, bool needGrad);
}

/// <summary>The fused CPU loss for element type <typeparamref name="T"/> (float or double) at vector width <typeparamref name="TV"/>.</summary>
internal sealed unsafe class FusedLoss<T, TV> : FusedLoss
    where T : unmanaged, IFloatingPointIeee754<T>
    where TV : unmanaged, ISimd<TV, T>
{
    /// <summary>
    /// Elements per worker at least: a helper that has to be woken (libtorch's threads and the thread pool's
    /// sleep between calls) costs some microseconds, worth it from about this much work (10-20 µs) on. The
    /// first split comes at 32768 elements, where libtorch's own operations start to use a second thread.
    /// </summary>
    private const long ElementsPerWorker = 16384;

    private static readonly int Lanes = TV.Count;

    private readonly ITileKernel<T, TV> _kernel;
    private readonly FusedOptions _options;

    /// <param name="kernel">The loss's kernel; it must implement <see cref="ITileKernel{T, TV}"/>.</param>
    /// <param name="target">Class indices (N) or distributions (N x C).</param>
    /// <param name="weight">Per-sample weights, or null.</param>
    /// <param name="reduction">The reduction.</param>
    /// <param name="logits">Whether the input holds logits.</param>
    /// <param name="options">How the call runs (threads).</param>
    public FusedLoss(ITileKernel<T> kernel, Tensor target, Tensor? weight, nn.Reduction reduction, bool logits, FusedOptions options)
        : base(target, weight, reduction, logits)
    {
        _kernel = (ITileKernel<T, TV>)kernel;
        _options = options;
    }

    public override (Tensor Loss, Tensor? Grad) Run(Tensor input, bool needGrad)
    {
        int rows = checked((int)input.size(0));
        int classes = _kernel.Classes;
        using var scope = torch.NewDisposeScope();

        bool soft = Target.dim() == 2;
        var target = soft ? Contiguous(Target, input.dtype) : Contiguous(Target, ScalarType.Int64);
        double[]? weights = Weight is null ? null : ReadWeights(Weight, rows);
        double reductionScale = Reduction == nn.Reduction.Mean ? 1.0 / (weights?.Sum() ?? rows) : 1.0;

        var grad = needGrad ? torch.empty_like(input) : null;
        var perRow = Reduction == nn.Reduction.None ? torch.empty(rows, dtype: input.dtype) : null;
        var job = RowJob<T, T>.Of(input, target, soft, grad, perRow, weights, reductionScale);

        int tiles = (rows + Lanes - 1) / Lanes;
        long elements = (long)rows * classes;
        int workers = elements < 2 * ElementsPerWorker ? 1 : (int)Math.Min(elements / ElementsPerWorker, Math.Min(tiles, _options.Workers));
        double sum;
        if (workers == 1)
        {
            RowError.ThrowIfAny(RunTiles(job, 0, tiles, out sum));
        }
        else
        {
            // Several chunks per worker, taken in turn by whichever thread is free (see ParallelChunks).
            int chunks = Math.Min(tiles, workers * ParallelChunks.ChunksPerWorker);
            var sums = new double[chunks];
            var errors = new RowError?[chunks];
            ParallelChunks.Run(chunks, workers, _options.Threads, c =>
            {
                var (first, end) = ParallelChunks.Range(c, chunks, tiles);
                // Summed into a local, stored once: the chunks' sums share cache lines, and a store per tile from
                // two threads would pass the line back and forth.
                errors[c] = RunTiles(job, first, end, out double sum);
                sums[c] = sum;
            });
            foreach (var error in errors)
            {
                RowError.ThrowIfAny(error);
            }
            // Per-chunk partial sums added in a fixed order: the result does not depend on thread timing.
            sum = sums.Sum();
        }

        var loss = perRow ?? torch.tensor(sum * reductionScale, dtype: input.dtype);
        loss.MoveToOuterDisposeScope();
        grad?.MoveToOuterDisposeScope();
        return (loss, grad);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private RowError? RunTiles(in RowJob<T, T> job, int firstTile, int endTile, out double sum)
    {
        sum = 0;
        int classes = _kernel.Classes;
        bool soft = job.Soft is not null;
        var buffers = WorkBuffers.ForThisThread(classes);
        var tileBuffer = buffers.Tile;
        var scratchBuffer = buffers.Scratch;
        var softBuffer = soft ? buffers.Soft : [];
        // Rows past the end of the batch read a harmless row (uniform probabilities) and write to a sink.
        var filler = buffers.Filler;
        filler.AsSpan().Fill(UniformFiller(Logits, classes));
        var sink = buffers.Sink;
        var inputRows = stackalloc nint[Lanes];
        var softRows = stackalloc nint[Lanes];
        var gradRows = stackalloc nint[Lanes];
        Span<int> targets = stackalloc int[Lanes];
        Span<T> scales = stackalloc T[Lanes];
        T tolerance = T.CreateChecked(LossValidation.DistributionTolerance);

        fixed (T* fillerAddress = filler, sinkAddress = sink)
        {
            for (int tile = firstTile; tile < endTile; tile++)
            {
                int first = tile * Lanes;
                for (int r = 0; r < Lanes; r++)
                {
                    int i = first + r;
                    bool real = i < job.Rows;
                    inputRows[r] = real ? (nint)(job.Input + (long)i * classes) : (nint)fillerAddress;
                    gradRows[r] = real && job.Grad is not null ? (nint)(job.Grad + (long)i * classes) : (nint)sinkAddress;
                    scales[r] = real ? T.CreateChecked((job.Weights?[i] ?? 1.0) * job.ReductionScale) : T.Zero;
                    if (soft)
                    {
                        softRows[r] = real ? (nint)(job.Soft + (long)i * classes) : (nint)fillerAddress;
                        if (real && !RowChecks.IsDistribution(new ReadOnlySpan<T>((T*)softRows[r], classes), tolerance))
                        {
                            return RowError.TargetNotADistribution(i);
                        }
                    }
                    else
                    {
                        long k = real ? job.Indices[i] : 0;
                        if ((ulong)k >= (ulong)classes)
                        {
                            return RowError.NotAClass(i, k, classes);
                        }
                        targets[r] = (int)k;
                    }
                    if (real && !Logits && !RowChecks.IsDistribution(new ReadOnlySpan<T>((T*)inputRows[r], classes), tolerance))
                    {
                        return RowError.InputNotADistribution(i);
                    }
                }

                TileTranspose<T, TV>.In((T**)inputRows, classes, tileBuffer, out var max, out var total);
                if (soft)
                {
                    TileTranspose<T, TV>.In((T**)softRows, classes, softBuffer);
                }
                var inverse = TV.One;
                if (Logits)
                {
                    (inverse, var notFinite) = TileSoftmax.Exponentiate<T, TV>(tileBuffer, max, total);
                    if (TV.Any(notFinite))
                    {
                        for (int lane = 0; lane < Lanes; lane++)
                        {
                            // The flag comes from the row's plain sum, which also overflows for finite logits near the
                            // type's limit; only a non-finite entry is an error (the exponentials are right either way).
                            if (notFinite[lane] != T.Zero && !RowChecks.AllFinite(new ReadOnlySpan<T>((T*)inputRows[lane], classes)))
                            {
                                return RowError.NonFiniteLogits(first + lane);
                            }
                        }
                    }
                }

                var values = _kernel.Tile(tileBuffer, inverse, scratchBuffer, targets, softBuffer, Logits, TV.Create(scales), job.Grad is not null);

                if (job.Grad is not null)
                {
                    TileSubnormals.Flush<T, TV>(tileBuffer.AsSpan(0, classes));
                    TileTranspose<T, TV>.Out(tileBuffer, (T**)gradRows, classes);
                }
                for (int r = 0; r < Lanes && first + r < job.Rows; r++)
                {
                    int i = first + r;
                    double weighted = (job.Weights?[i] ?? 1.0) * double.CreateChecked(values[r]);
                    sum += weighted;
                    if (job.PerRow is not null)
                    {
                        job.PerRow[i] = T.CreateChecked(weighted);
                    }
                }
            }
        }
        return null;
    }

    /// <summary>A row that is a valid input of either kind: logits 0, or probabilities 1/C.</summary>
    private static T UniformFiller(bool logits, int classes) => logits ? T.Zero : T.One / T.CreateChecked(classes);

    /// <summary>Each thread's work space, kept between calls so that a training step allocates nothing here.</summary>
    private sealed class WorkBuffers
    {
        [ThreadStatic]
        private static WorkBuffers? _current;

        private WorkBuffers(int classes)
        {
            Classes = classes;
            Tile = new TV[classes];
            Scratch = new TV[classes];
            Soft = new TV[classes];
            Filler = GC.AllocateUninitializedArray<T>(classes, pinned: true);
            Sink = GC.AllocateUninitializedArray<T>(classes, pinned: true);
        }

        public int Classes { get; }

        public TV[] Tile { get; }

        public TV[] Scratch { get; }

        public TV[] Soft { get; }

        /// <summary>Pinned: read by address as a stand-in input row.</summary>
        public T[] Filler { get; }

        /// <summary>Pinned: written by address as a stand-in gradient row.</summary>
        public T[] Sink { get; }

        public static WorkBuffers ForThisThread(int classes)
        {
            var current = _current;
            if (current is null || current.Classes != classes)
            {
                current = new WorkBuffers(classes);
                _current = current;
            }
            return current;
        }
    }
}
