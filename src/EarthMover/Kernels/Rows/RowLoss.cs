using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static EarthMover.Kernels.TensorMemory;

namespace EarthMover.Kernels.Rows;

/// <summary>
/// One call of a row kernel on the CPU: for each row, the softmax (or the check of given probabilities),
/// the kernel's loss and gradient, and the gradient taken through the softmax, with rows split over threads
/// and no allocation per row. Values are checked as they are read, as in <see cref="FusedLoss{T, TV}"/>.
/// </summary>
internal sealed unsafe class RowLoss<T>(IRowKernel kernel, Tensor target, Tensor? sampleWeight, nn.Reduction reduction, bool logits) : RowDriver<T>(target, sampleWeight, reduction, logits)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IRowKernel _kernel = kernel;

    protected override long RowCost => _kernel.RowCost;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override RowError? RunRows(in RowJob<T, double> job, int firstRow, int endRow, out double sum)
    {
        sum = 0;
        int classes = _kernel.Classes;
        var buffers = RowBuffers.ForThisThread(classes);
        var p = buffers.Values.AsSpan(0, classes);
        var g = buffers.Gradient.AsSpan(0, classes);
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
}
