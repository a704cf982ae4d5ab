using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static EarthMover.Kernels.TensorMemory;
using static TorchSharp.torch;

namespace EarthMover.Kernels.Rows;

/// <summary>
/// One call of a row kernel on the CPU: for each row, the softmax (or the check of given probabilities),
/// the kernel's loss and gradient, and the gradient taken through the softmax, with rows split over threads
/// and no allocation per row. Values are checked as they are read, as in <see cref="FusedLoss{T, TV}"/>.
/// </summary>
internal sealed unsafe class RowLoss<T> : FusedLoss
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Below this much work (in <see cref="IRowKernel.RowCost"/> units) a second thread costs more than it saves.</summary>
    private const long WorkPerWorker = 16384;

    private readonly IRowKernel _kernel;

    public RowLoss(IRowKernel kernel, Tensor target, Tensor? sampleWeight, nn.Reduction reduction, bool logits)
        : base(target, sampleWeight, reduction, logits)
    {
        _kernel = kernel;
    }

    public override (Tensor Loss, Tensor? Grad) Run(Tensor input, bool needGrad)
    {
        int rows = checked((int)input.size(0));
        using var scope = torch.NewDisposeScope();
        bool soft = Target.dim() == 2;
        var target = soft ? Contiguous(Target, ScalarType.Float64) : Contiguous(Target, ScalarType.Int64);
        double[]? weights = Weight is null ? null : ReadWeights(Weight, rows);
        double reductionScale = Reduction == nn.Reduction.Mean ? 1.0 / (weights?.Sum() ?? rows) : 1.0;
        var grad = needGrad ? torch.empty_like(input) : null;
        var perRow = Reduction == nn.Reduction.None ? torch.empty(rows, dtype: input.dtype) : null;
        var job = new Job(
            Address<T>(input),
            soft ? Address<double>(target) : null,
            soft ? null : Address<long>(target),
            grad is null ? null : Address<T>(grad),
            perRow is null ? null : Address<T>(perRow),
            rows,
            weights,
            reductionScale);

        long work = (long)rows * Math.Max(1, _kernel.RowCost);
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
                errors[c] = RunRows(job, first, end, out sums[c]);
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private RowError? RunRows(in Job job, int firstRow, int endRow, out double sum)
    {
        sum = 0;
        int classes = _kernel.Classes;
        var buffers = Buffers.ForThisThread(classes);
        var p = buffers.P.AsSpan(0, classes);
        var g = buffers.G.AsSpan(0, classes);
        double tolerance = LossValidation.DistributionTolerance;
        for (int i = firstRow; i < endRow; i++)
        {
            var x = new ReadOnlySpan<T>(job.Input + (long)i * classes, classes);
            if (Logits)
            {
                double max = double.NegativeInfinity, total = 0;
                for (int c = 0; c < classes; c++)
                {
                    double v = double.CreateChecked(x[c]);
                    total += v;
                    max = Math.Max(max, v);
                }
                if (!double.IsFinite(total))
                {
                    return RowError.NonFiniteLogits(i);
                }
                double norm = 0;
                for (int c = 0; c < classes; c++)
                {
                    double e = Math.Exp(double.CreateChecked(x[c]) - max);
                    p[c] = e;
                    norm += e;
                }
                double inverse = 1 / norm;
                for (int c = 0; c < classes; c++)
                {
                    p[c] *= inverse;
                }
            }
            else
            {
                for (int c = 0; c < classes; c++)
                {
                    p[c] = double.CreateChecked(x[c]);
                }
                if (!RowChecks.IsDistribution<double>(p, tolerance))
                {
                    return RowError.InputNotADistribution(i);
                }
            }

            ReadOnlySpan<double> t = default;
            int k = 0;
            if (job.Soft is not null)
            {
                t = new ReadOnlySpan<double>(job.Soft + (long)i * classes, classes);
                if (!RowChecks.IsDistribution(t, tolerance))
                {
                    return RowError.TargetNotADistribution(i);
                }
            }
            else
            {
                long index = job.Indices[i];
                if ((ulong)index >= (ulong)classes)
                {
                    return RowError.NotAClass(i, index, classes);
                }
                k = (int)index;
            }

            double weight = job.Weights?[i] ?? 1.0;
            double value = _kernel.Row(p, t, k, job.Grad is null ? default : g);
            if (job.Grad is not null)
            {
                double scale = weight * job.ReductionScale;
                var gradRow = new Span<T>(job.Grad + (long)i * classes, classes);
                if (Logits)
                {
                    // Through the softmax: dL/dz = p ⊙ (g - <p, g>).
                    double mean = 0;
                    for (int c = 0; c < classes; c++)
                    {
                        mean += p[c] * g[c];
                    }
                    for (int c = 0; c < classes; c++)
                    {
                        gradRow[c] = T.CreateChecked(scale * p[c] * (g[c] - mean));
                    }
                }
                else
                {
                    // On the simplex: the component along (1, ..., 1) is not a direction the input can move in.
                    double mean = 0;
                    for (int c = 0; c < classes; c++)
                    {
                        mean += g[c];
                    }
                    mean /= classes;
                    for (int c = 0; c < classes; c++)
                    {
                        gradRow[c] = T.CreateChecked(scale * (g[c] - mean));
                    }
                }
            }
            double weighted = weight * value;
            sum += weighted;
            if (job.PerRow is not null)
            {
                job.PerRow[i] = T.CreateChecked(weighted);
            }
        }
        return null;
    }

    /// <summary>The addresses and per-call values every worker reads.</summary>
    private readonly struct Job(T* input, double* soft, long* indices, T* grad, T* perRow, int rows, double[]? weights, double reductionScale)
    {
        public T* Input { get; } = input;

        public double* Soft { get; } = soft;

        public long* Indices { get; } = indices;

        public T* Grad { get; } = grad;

        public T* PerRow { get; } = perRow;

        public int Rows { get; } = rows;

        public double[]? Weights { get; } = weights;

        public double ReductionScale { get; } = reductionScale;
    }

    /// <summary>Each thread's row buffers, kept between calls.</summary>
    private sealed class Buffers
    {
        [ThreadStatic]
        private static Buffers? _current;

        private Buffers(int classes)
        {
            P = new double[classes];
            G = new double[classes];
        }

        public double[] P { get; }

        public double[] G { get; }

        public static Buffers ForThisThread(int classes)
        {
            var current = _current;
            if (current is null || current.P.Length < classes)
            {
                current = new Buffers(classes);
                _current = current;
            }
            return current;
        }
    }
}
