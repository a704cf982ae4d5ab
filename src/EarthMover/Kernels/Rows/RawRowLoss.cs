using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
    private readonly IRawRowKernel _kernel = typeof(T) == typeof(float) ? kernel.ForSingle() : kernel;

    // float32 rows in single precision where the kernel has them (rows of logits, 8 entries or more, AVX2).
    private readonly ISingleRowKernel? _single = typeof(T) == typeof(float) && kernel is ISingleRowKernel { HasSingleRows: true } single ? single : null;

    protected override long RowCost => _kernel.RowCost;

    protected override bool CountsTerms => true;

    protected override double MeanCount(long target) =>
        _kernel.MeanCount((int)Math.Clamp(target, 0, _kernel.Classes - 1));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override RowError? RunRows(in RowJob<T, double> job, int firstRow, int endRow, out double sum)
    {
        sum = 0;
        int lanes = _kernel.BlockLanes;
        int i = firstRow;
        if (lanes != 0)
        {
            int width = _kernel.Width;
            var buffers = RowBuffers.ForThisThread(width * lanes);
            var x = buffers.Values.AsSpan(0, width * lanes);
            var g = job.Grad is null ? default : buffers.Gradient.AsSpan(0, width * lanes);
            Span<int> targets = stackalloc int[lanes];
            Span<double> losses = stackalloc double[lanes];
            Span<double> scales = stackalloc double[lanes];
            for (; i + lanes <= endRow; i += lanes)
            {
                if (!Block(job, i, lanes, x, g, targets, losses, scales, ref sum))
                {
                    // A bad value or an extreme row: row by row, which finds the first bad row or computes it exactly.
                    if (OneByOne(job, i, i + lanes, ref sum) is { } error)
                    {
                        return error;
                    }
                }
            }
        }
        return OneByOne(job, i, endRow, ref sum);
    }

    /// <summary>Rows [<paramref name="first"/>, first + lanes) as one block; false, with nothing written, where the block must go row by row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Block(in RowJob<T, double> job, int first, int lanes, Span<double> x, Span<double> g, Span<int> targets, Span<double> losses, Span<double> scales, ref double sum)
    {
        int width = _kernel.Width;
        int classes = _kernel.Classes;
        for (int r = 0; r < lanes; r++)
        {
            long index = job.Indices[first + r];
            if ((ulong)index >= (ulong)classes)
            {
                return false;
            }
            targets[r] = (int)index;
        }
        if (!RowBlock<T>.Read(job.Input, first, lanes, width, x) || !_kernel.Block(x, targets, g, losses))
        {
            return false;
        }
        for (int r = 0; r < lanes; r++)
        {
            double weight = job.Weights?[first + r] ?? 1.0;
            scales[r] = weight * job.ReductionScale;
            double weighted = weight * losses[r];
            sum += weighted;
            if (job.PerRow is not null)
            {
                job.PerRow[first + r] = T.CreateChecked(weighted);
            }
        }
        if (job.Grad is not null)
        {
            RowBlock<T>.Write(g, scales, job.Grad, first, lanes, width);
        }
        return true;
    }

    /// <summary>Rows [<paramref name="firstRow"/>, <paramref name="endRow"/>) one at a time, their weighted losses added to <paramref name="sum"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private RowError? OneByOne(in RowJob<T, double> job, int firstRow, int endRow, ref double sum)
    {
        if (_single is not null)
        {
            return OneByOneSingle(_single, job, firstRow, endRow, ref sum);
        }
        int width = _kernel.Width;
        int classes = _kernel.Classes;
        bool unit = _kernel.EntriesInUnitInterval;
        var buffers = RowBuffers.ForThisThread(width);
        var x = buffers.Values.AsSpan(0, width);
        var g = buffers.Gradient.AsSpan(0, width);
        for (int i = firstRow; i < endRow; i++)
        {
            var row = new ReadOnlySpan<T>(job.Input + (long)i * width, width);
            if (!Widen(row, x, unit))
            {
                return unit ? OutsideUnitInterval(i) : RowError.NonFiniteLogits(i);
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
                Narrow(g, new Span<T>(job.Grad + (long)i * width, width), scale);
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

    /// <summary>Float32 rows [<paramref name="firstRow"/>, <paramref name="endRow"/>) as they are (<see cref="ISingleRowKernel"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private RowError? OneByOneSingle(ISingleRowKernel single, in RowJob<T, double> job, int firstRow, int endRow, ref double sum)
    {
        int width = _kernel.Width;
        int classes = _kernel.Classes;
        var input = (float*)job.Input;
        var grad = (float*)job.Grad;
        for (int i = firstRow; i < endRow; i++)
        {
            var row = new ReadOnlySpan<float>(input + (long)i * width, width);
            if (!SingleLanes.Finite(row))
            {
                return RowError.NonFiniteLogits(i);
            }
            long index = job.Indices[i];
            if ((ulong)index >= (ulong)classes)
            {
                return RowError.NotAClass(i, index, classes);
            }
            double weight = job.Weights?[i] ?? 1.0;
            var gradient = grad is null ? default : new Span<float>(grad + (long)i * width, width);
            if (!single.TryRowSingle(row, (int)index, gradient, (float)(weight * job.ReductionScale), out double value))
            {
                var buffers = RowBuffers.ForThisThread(width);
                var x = buffers.Values.AsSpan(0, width);
                var g = buffers.Gradient.AsSpan(0, width);
                RawRowLoss<float>.Widen(row, x, unit: false);
                value = _kernel.Row(x, (int)index, grad is null ? default : g);
                if (grad is not null)
                {
                    RawRowLoss<float>.Narrow(g, gradient, weight * job.ReductionScale);
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

    /// <summary>Copies a row into doubles and checks it (finite, or in [0, 1]) in the same pass; false if a value fails.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    internal static bool Widen(ReadOnlySpan<T> row, Span<double> x, bool unit)
    {
        int c = 0;
        if (!unit && RowVectors.Has256)
        {
            // Finite iff v - v is 0 (NaN and ±∞ give NaN): the lanes are collected and tested once per row.
            ref double x0 = ref MemoryMarshal.GetReference(x);
            if (typeof(T) == typeof(float))
            {
                ref float r0 = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(row));
                if (RowVectors.Has512)
                {
                    var bad = Vector512<double>.Zero;
                    for (; c + 8 <= row.Length; c += 8)
                    {
                        var v = Avx512F.ConvertToVector512Double(Vector256.LoadUnsafe(ref r0, (nuint)c));
                        bad |= v - v;
                        v.StoreUnsafe(ref x0, (nuint)c);
                    }
                    if (!Vector512.EqualsAll(bad.AsInt64(), Vector512<long>.Zero))
                    {
                        return false;
                    }
                }
                var bad4 = Vector256<double>.Zero;
                for (; c + 4 <= row.Length; c += 4)
                {
                    var v = Avx.ConvertToVector256Double(Vector128.LoadUnsafe(ref r0, (nuint)c));
                    bad4 |= v - v;
                    v.StoreUnsafe(ref x0, (nuint)c);
                }
                if (!Vector256.EqualsAll(bad4.AsInt64(), Vector256<long>.Zero))
                {
                    return false;
                }
            }
            else if (typeof(T) == typeof(double))
            {
                ref double r0 = ref Unsafe.As<T, double>(ref MemoryMarshal.GetReference(row));
                var bad = Vector256<double>.Zero;
                for (; c + 4 <= row.Length; c += 4)
                {
                    var v = Vector256.LoadUnsafe(ref r0, (nuint)c);
                    bad |= v - v;
                    v.StoreUnsafe(ref x0, (nuint)c);
                }
                if (!Vector256.EqualsAll(bad.AsInt64(), Vector256<long>.Zero))
                {
                    return false;
                }
            }
        }
        for (; c < row.Length; c++)
        {
            double v = double.CreateChecked(row[c]);
            if (unit ? !(v >= 0 && v <= 1) : !double.IsFinite(v))
            {
                return false;
            }
            x[c] = v;
        }
        return true;
    }

    /// <summary>gradient[c] = scale · g[c] in the tensor's type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    internal static void Narrow(ReadOnlySpan<double> g, Span<T> gradient, double scale)
    {
        int c = 0;
        if (RowVectors.Has256)
        {
            ref double g0 = ref MemoryMarshal.GetReference(g);
            var s = Vector256.Create(scale);
            if (typeof(T) == typeof(float))
            {
                ref float d0 = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(gradient));
                if (RowVectors.Has512)
                {
                    var s8 = Vector512.Create(scale);
                    for (; c + 8 <= gradient.Length; c += 8)
                    {
                        Avx512F.ConvertToVector256Single(s8 * Vector512.LoadUnsafe(ref g0, (nuint)c)).StoreUnsafe(ref d0, (nuint)c);
                    }
                }
                for (; c + 4 <= gradient.Length; c += 4)
                {
                    Avx.ConvertToVector128Single(s * Vector256.LoadUnsafe(ref g0, (nuint)c)).StoreUnsafe(ref d0, (nuint)c);
                }
            }
            else if (typeof(T) == typeof(double))
            {
                ref double d0 = ref Unsafe.As<T, double>(ref MemoryMarshal.GetReference(gradient));
                for (; c + 4 <= gradient.Length; c += 4)
                {
                    (s * Vector256.LoadUnsafe(ref g0, (nuint)c)).StoreUnsafe(ref d0, (nuint)c);
                }
            }
        }
        for (; c < gradient.Length; c++)
        {
            gradient[c] = T.CreateChecked(scale * g[c]);
        }
    }

    private static RowError OutsideUnitInterval(int row) =>
        new("input", $"input row {row} holds a value outside [0, 1]; with input_type Probabilities each output is a probability (pass logits with the default input type).");
}
