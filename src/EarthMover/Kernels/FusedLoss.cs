using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

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

/// <summary>The fused CPU loss for element type <typeparamref name="T"/> (float or double).</summary>
internal sealed unsafe class FusedLoss<T> : FusedLoss
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Below this many elements in all a second thread costs more than it saves.</summary>
    private const long ElementsPerWorker = 8192;

    private static readonly int Lanes = Vector256<T>.Count;
    internal static int MaxWorkers = 99;

    private readonly ITileKernel<T> _kernel;

    public FusedLoss(ITileKernel<T> kernel, Tensor target, Tensor? weight, nn.Reduction reduction, bool logits)
        : base(target, weight, reduction, logits)
    {
        _kernel = kernel;
    }

    public override (Tensor Loss, Tensor? Grad) Run(Tensor input, bool needGrad)
    {
        int rows = checked((int)input.size(0));
        int classes = _kernel.Classes;
        using var scope = torch.NewDisposeScope();

        bool soft = Target.dim() == 2;
        var target = soft ? ContiguousAs(Target, input.dtype) : ContiguousAs(Target, ScalarType.Int64);
        double[]? weights = Weight is null ? null : ReadWeights(Weight, rows);
        double reductionScale = Reduction == nn.Reduction.Mean ? 1.0 / (weights?.Sum() ?? rows) : 1.0;

        var grad = needGrad ? torch.empty_like(input) : null;
        var perRow = Reduction == nn.Reduction.None ? torch.empty(rows, dtype: input.dtype) : null;
        var job = new Job(
            Address<T>(input),
            soft ? Address<T>(target) : null,
            soft ? null : Address<long>(target),
            grad is null ? null : Address<T>(grad),
            perRow is null ? null : Address<T>(perRow),
            rows,
            weights,
            reductionScale);

        int tiles = (rows + Lanes - 1) / Lanes;
        int workers = (int)Math.Clamp((long)rows * classes / ElementsPerWorker, 1, Math.Min(Math.Min(tiles, MaxWorkers), Math.Max(1, torch.get_num_threads())));
        var sums = new double[workers];
        var errors = new RowError?[workers];
        TorchThreads.For(workers, w =>
        {
            errors[w] = RunTiles(job, (int)((long)tiles * w / workers), (int)((long)tiles * (w + 1) / workers), out double sum);
            sums[w] = sum;
        });
        foreach (var error in errors)
        {
            if (error is { } e)
            {
                throw new ArgumentException(e.Message, e.Parameter);
            }
        }

        // Per-worker partial sums added in a fixed order: the result does not depend on thread timing.
        var loss = perRow ?? torch.tensor(sums.Sum() * reductionScale, dtype: input.dtype);
        loss.MoveToOuterDisposeScope();
        grad?.MoveToOuterDisposeScope();
        return (loss, grad);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private RowError? RunTiles(in Job job, int firstTile, int endTile, out double sum)
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
        filler.AsSpan().Fill(Job.UniformFiller(Logits, classes));
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
                        if (real && !IsDistribution(new ReadOnlySpan<T>((T*)softRows[r], classes), tolerance))
                        {
                            return new RowError("target", $"target row {i} is not a probability distribution: entries must be >= 0 and sum to 1 (within {LossValidation.DistributionTolerance}).");
                        }
                    }
                    else
                    {
                        long k = real ? job.Indices[i] : 0;
                        if ((ulong)k >= (ulong)classes)
                        {
                            return new RowError("target", $"target[{i}] = {k} is not a class index in [0, {classes}).");
                        }
                        targets[r] = (int)k;
                    }
                    if (real && !Logits && !IsDistribution(new ReadOnlySpan<T>((T*)inputRows[r], classes), tolerance))
                    {
                        return new RowError("input", $"input row {i} is not a probability distribution: entries must be >= 0 and sum to 1 (within {LossValidation.DistributionTolerance}); pass logits with the default input type.");
                    }
                }

                TileTranspose.In((T**)inputRows, classes, tileBuffer, out var max, out var total);
                if (soft)
                {
                    TileTranspose.In((T**)softRows, classes, softBuffer);
                }
                var inverse = Vector256<T>.One;
                if (Logits)
                {
                    (inverse, var notFinite) = TileSoftmax.Exponentiate<T>(tileBuffer, max, total);
                    if (notFinite != Vector256<T>.Zero)
                    {
                        for (int lane = 0; lane < Lanes; lane++)
                        {
                            // The flag comes from the row's plain sum, which also overflows for finite logits near the
                            // type's limit; only a non-finite entry is an error (the exponentials are right either way).
                            if (notFinite[lane] != T.Zero && !AllFinite(new ReadOnlySpan<T>((T*)inputRows[lane], classes)))
                            {
                                return new RowError("input", $"input row {first + lane} holds NaN or infinite logits.");
                            }
                        }
                    }
                }

                var values = _kernel.Tile(tileBuffer, inverse, scratchBuffer, targets, softBuffer, Logits, Vector256.Create<T>(scales), job.Grad is not null);

                if (job.Grad is not null)
                {
                    TileTranspose.Out<T>(tileBuffer, (T**)gradRows, classes);
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

    private static bool AllFinite(ReadOnlySpan<T> values)
    {
        foreach (var v in values)
        {
            if (!T.IsFinite(v))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsDistribution(ReadOnlySpan<T> values, T tolerance)
    {
        T total = T.Zero;
        foreach (var v in values)
        {
            if (!(v >= T.Zero) || T.IsInfinity(v))
            {
                return false;
            }
            total += v;
        }
        return T.Abs(total - T.One) <= tolerance;
    }

    private static double[] ReadWeights(Tensor weight, int rows)
    {
        using var w = weight.to(ScalarType.Float64, torch.CPU).contiguous();
        var values = MemoryMarshal.Cast<byte, double>(w.bytes).ToArray();
        LossValidation.CheckSampleWeights(values, rows);
        return values;
    }

    private static Tensor ContiguousAs(Tensor t, ScalarType type)
    {
        var converted = t.dtype == type ? t : t.to(type);
        return converted.is_contiguous() ? converted : converted.contiguous();
    }

    private static TElement* Address<TElement>(Tensor t)
        where TElement : unmanaged =>
        (TElement*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));

    /// <summary>The addresses and per-call values every worker reads.</summary>
    private readonly struct Job(T* input, T* soft, long* indices, T* grad, T* perRow, int rows, double[]? weights, double reductionScale)
    {
        public T* Input { get; } = input;

        public T* Soft { get; } = soft;

        public long* Indices { get; } = indices;

        public T* Grad { get; } = grad;

        public T* PerRow { get; } = perRow;

        public int Rows { get; } = rows;

        public double[]? Weights { get; } = weights;

        public double ReductionScale { get; } = reductionScale;

        /// <summary>A row that is a valid input of either kind: logits 0, or probabilities 1/C.</summary>
        public static T UniformFiller(bool logits, int classes) => logits ? T.Zero : T.One / T.CreateChecked(classes);
    }

    private readonly record struct RowError(string Parameter, string Message);

    /// <summary>Each thread's work space, kept between calls so that a training step allocates nothing here.</summary>
    private sealed class WorkBuffers
    {
        [ThreadStatic]
        private static WorkBuffers? _current;

        private WorkBuffers(int classes)
        {
            Classes = classes;
            Tile = new Vector256<T>[classes];
            Scratch = new Vector256<T>[classes];
            Soft = new Vector256<T>[classes];
            Filler = GC.AllocateUninitializedArray<T>(classes, pinned: true);
            Sink = GC.AllocateUninitializedArray<T>(classes, pinned: true);
        }

        public int Classes { get; }

        public Vector256<T>[] Tile { get; }

        public Vector256<T>[] Scratch { get; }

        public Vector256<T>[] Soft { get; }

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
