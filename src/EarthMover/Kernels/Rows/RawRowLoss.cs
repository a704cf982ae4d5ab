using System.Numerics;
using System.Runtime.CompilerServices;

namespace EarthMover.Kernels.Rows;

/// <summary>
/// One call of a raw-row kernel on the CPU: each input row is read as it stands (K - 1 threshold logits, ECOC
/// outputs, or K logits the kernel takes through its own softmax algebra), checked (finite, or in [0, 1]), and
/// handed with its class index to the kernel, which returns the loss and dL/dx. Threads, weights and the reduction
/// are <see cref="RowDriver{T}"/>'s; targets are class indices (the checks before the call refuse distributions).
/// </summary>
internal sealed unsafe class RawRowLoss<T>(IRawRowKernel kernel, Tensor target, Tensor? sampleWeight, nn.Reduction reduction, bool logits) : RowDriver<T>(target, sampleWeight, reduction, logits)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IRawRowKernel _kernel = kernel;

    protected override long RowCost => _kernel.RowCost;

    protected override bool CountsTerms => true;

    protected override double MeanCount(long target) =>
        _kernel.MeanCount((int)Math.Clamp(target, 0, _kernel.Classes - 1));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override RowError? RunRows(in RowJob<T, double> job, int firstRow, int endRow, out double sum)
    {
        sum = 0;
        int width = _kernel.Width;
        int classes = _kernel.Classes;
        bool unit = _kernel.EntriesInUnitInterval;
        var buffers = RowBuffers.ForThisThread(width);
        var x = buffers.Values.AsSpan(0, width);
        var g = buffers.Gradient.AsSpan(0, width);
        for (int i = firstRow; i < endRow; i++)
        {
            var row = new ReadOnlySpan<T>(job.Input + (long)i * width, width);
            for (int c = 0; c < width; c++)
            {
                double v = double.CreateChecked(row[c]);
                if (unit ? !(v >= 0 && v <= 1) : !double.IsFinite(v))
                {
                    return unit ? OutsideUnitInterval(i) : RowError.NonFiniteLogits(i);
                }
                x[c] = v;
            }
            long index = job.Indices[i];
            if ((ulong)index >= (ulong)classes)
            {
                return RowError.NotAClass(i, index, classes);
            }
            double weight = job.Weights?[i] ?? 1.0;
            double value = _kernel.Row(x, (int)index, job.Grad is null ? default : g);
            if (job.Grad is not null)
            {
                double scale = weight * job.ReductionScale;
                var gradRow = new Span<T>(job.Grad + (long)i * width, width);
                for (int c = 0; c < width; c++)
                {
                    gradRow[c] = T.CreateChecked(scale * g[c]);
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

    private static RowError OutsideUnitInterval(int row) =>
        new("input", $"input row {row} holds a value outside [0, 1]; with input_type Probabilities each output is a probability (pass logits with the default input type).");
}
