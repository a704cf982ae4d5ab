using System.Numerics;
using static EarthMover.Kernels.TensorMemory;

namespace EarthMover.Kernels.Rows;

/// <summary>
/// What every row-at-a-time CPU loss shares (<see cref="RowLoss{T}"/>, <see cref="RawRowLoss{T}"/>): the target
/// read as indices or distributions, the per-sample weights, the reduction's scale, the result tensors, the split
/// of rows into chunks over threads, the errors found by workers and the fixed-order sum of the chunks. A subclass
/// computes a range of rows.
/// </summary>
internal abstract unsafe class RowDriver<T> : FusedLoss
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Below this much work (in <see cref="RowCost"/> units) a second thread costs more than it saves.</summary>
    private const long WorkPerWorker = 16384;

    protected RowDriver(Tensor target, Tensor? sampleWeight, nn.Reduction reduction, bool logits)
        : base(target, sampleWeight, reduction, logits)
    {
    }

    /// <summary>Rough work per row, in units of a simple operation on one entry.</summary>
    protected abstract long RowCost { get; }

    /// <summary>The terms sample i adds to the mean's denominator (1 by default; CORN counts its tasks).</summary>
    /// <param name="target">The target index (unchecked: clamp before use).</param>
    protected virtual double MeanCount(long target) => 1.0;

    /// <summary>Whether <see cref="MeanCount"/> differs from 1.</summary>
    protected virtual bool CountsTerms => false;

    /// <summary>Computes rows [<paramref name="firstRow"/>, <paramref name="endRow"/>): the weighted losses' sum, and the gradient and per-row values the job asks for.</summary>
    /// <returns>The first bad value found, or null.</returns>
    protected abstract RowError? RunRows(in RowJob<T, double> job, int firstRow, int endRow, out double sum);

    public sealed override (Tensor Loss, Tensor? Grad) Run(Tensor input, bool needGrad)
    {
        int rows = checked((int)input.size(0));
        using var scope = torch.NewDisposeScope();
        bool soft = Target.dim() == 2;
        var target = soft ? Contiguous(Target, ScalarType.Float64) : Contiguous(Target, ScalarType.Int64);
        double[]? weights = Weight is null ? null : ReadWeights(Weight, rows);
        double reductionScale = 1.0;
        if (Reduction == nn.Reduction.Mean)
        {
            double total;
            if (CountsTerms && !soft)
            {
                var indices = new ReadOnlySpan<long>(Address<long>(target), rows);
                total = 0;
                for (int i = 0; i < rows; i++)
                {
                    total += (weights?[i] ?? 1.0) * MeanCount(indices[i]);
                }
            }
            else
            {
                total = weights?.Sum() ?? rows;
            }
            reductionScale = 1.0 / total;
        }
        var grad = needGrad ? torch.empty_like(input) : null;
        var perRow = Reduction == nn.Reduction.None ? torch.empty(rows, dtype: input.dtype) : null;
        var job = RowJob<T, double>.Of(input, target, soft, grad, perRow, weights, reductionScale);

        long work = (long)rows * Math.Max(1, RowCost);
        var options = FusedOptions.Default;
        int workers = (int)Math.Clamp(work / WorkPerWorker, 1, Math.Max(1, Math.Min(rows, options.Workers)));
        // Several chunks per worker, taken in turn by whichever thread is free (see ParallelChunks).
        int chunks = workers == 1 ? 1 : Math.Min(rows, workers * ParallelChunks.ChunksPerWorker);
        var sums = new double[chunks];
        var errors = new RowError?[chunks];
        if (chunks == 1)
        {
            errors[0] = RunRows(job, 0, rows, out sums[0]);
        }
        else
        {
            ParallelChunks.Run(chunks, workers, options.Threads, c =>
            {
                var (first, end) = ParallelChunks.Range(c, chunks, rows);
                // Summed into a local, stored once: the chunks' sums share cache lines, and a store per row from
                // two threads would pass the line back and forth (12% of CORAL's time at 4096 x 100).
                errors[c] = RunRows(job, first, end, out double sum);
                sums[c] = sum;
            });
        }
        foreach (var error in errors)
        {
            RowError.ThrowIfAny(error);
        }
        // Per-chunk partial sums added in a fixed order: the result does not depend on thread timing.
        var loss = perRow ?? torch.tensor(sums.Sum() * reductionScale, dtype: input.dtype);
        loss.MoveToOuterDisposeScope();
        grad?.MoveToOuterDisposeScope();
        return (loss, grad);
    }
}
