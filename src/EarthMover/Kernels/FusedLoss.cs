using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Kernels;

/// <summary>
/// One call of a loss on the CPU, computed in a single fused pass over the rows: softmax, loss and
/// gradient together, with no intermediate tensors. Shapes are checked by the caller; values (class
/// indices, distributions, finite logits) are checked here, as the rows are read.
/// </summary>
internal abstract class FusedLoss
{
    /// <summary>Rows smaller than this many elements in all are not worth a second thread.</summary>
    private const int ElementsPerWorker = 16384;

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
    /// <param name="input">A contiguous CPU tensor N x C.</param>
    /// <param name="needGrad">Whether to compute the gradient.</param>
    public abstract (Tensor Loss, Tensor? Grad) Run(Tensor input, bool needGrad);

    protected static int Workers(long elements)
    {
        long byWork = Math.Max(1, elements / ElementsPerWorker);
        return (int)Math.Min(Math.Max(1, torch.get_num_threads()), byWork);
    }
}

/// <summary>The fused CPU loss for element type <typeparamref name="T"/> (float or double).</summary>
internal sealed class FusedLoss<T> : FusedLoss
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IRowKernel<T> _kernel;

    public FusedLoss(IRowKernel<T> kernel, Tensor target, Tensor? weight, nn.Reduction reduction, bool logits)
        : base(target, weight, reduction, logits)
    {
        _kernel = kernel;
    }

    public override unsafe (Tensor Loss, Tensor? Grad) Run(Tensor input, bool needGrad)
    {
        int rows = checked((int)input.shape[0]);
        int classes = _kernel.Classes;
        using var scope = torch.NewDisposeScope();

        bool soft = Target.dim() == 2;
        var target = soft ? ContiguousAs(Target, input.dtype) : ContiguousAs(Target, ScalarType.Int64);
        double[]? weights = Weight is null ? null : ReadWeights(Weight, rows);
        double reductionScale = Reduction switch
        {
            nn.Reduction.Mean => 1.0 / (weights is null ? rows : weights.Sum()),
            _ => 1.0,
        };

        var grad = needGrad ? torch.empty_like(input) : null;
        var perRow = Reduction == nn.Reduction.None ? torch.empty(rows, dtype: input.dtype) : null;

        nint inputAddress = Address(input);
        nint targetAddress = Address(target);
        nint gradAddress = grad is null ? 0 : Address(grad);
        nint perRowAddress = perRow is null ? 0 : Address(perRow);

        int workers = Workers((long)rows * classes);
        var partial = new double[workers];
        var errors = new RowError?[workers];
        var work = (int worker) =>
        {
            int first = (int)((long)rows * worker / workers);
            int last = (int)((long)rows * (worker + 1) / workers);
            errors[worker] = RunRows(first, last, inputAddress, targetAddress, gradAddress, perRowAddress, soft, weights, reductionScale, needGrad, out partial[worker]);
        };
        if (workers == 1)
        {
            work(0);
        }
        else
        {
            Parallel.For(0, workers, work);
        }

        foreach (var error in errors)
        {
            if (error is { } e)
            {
                throw new ArgumentException(e.Message, e.Parameter);
            }
        }

        Tensor loss;
        if (perRow is not null)
        {
            loss = perRow;
        }
        else
        {
            double total = 0;
            foreach (var part in partial)
            {
                total += part;
            }
            loss = torch.tensor(total * reductionScale, dtype: input.dtype);
        }
        loss.MoveToOuterDisposeScope();
        grad?.MoveToOuterDisposeScope();
        return (loss, grad);
    }

    private unsafe RowError? RunRows(int first, int last, nint inputAddress, nint targetAddress, nint gradAddress, nint perRowAddress, bool soft, double[]? weights, double reductionScale, bool needGrad, out double sum)
    {
        sum = 0;
        int classes = _kernel.Classes;
        int padded = _kernel.Padded;
        var rowBuffer = new T[padded];
        var scratchBuffer = new T[padded];
        var softBuffer = soft ? new T[padded] : [];
        var row = MemoryMarshal.Cast<T, Vector256<T>>(rowBuffer.AsSpan());
        var scratch = MemoryMarshal.Cast<T, Vector256<T>>(scratchBuffer.AsSpan());
        var softRow = MemoryMarshal.Cast<T, Vector256<T>>(softBuffer.AsSpan());
        T pad = Logits ? T.NegativeInfinity : T.Zero;
        T tolerance = T.CreateChecked(LossValidation.DistributionTolerance);

        for (int i = first; i < last; i++)
        {
            var source = new ReadOnlySpan<T>((T*)inputAddress + (long)i * classes, classes);
            source.CopyTo(rowBuffer);
            rowBuffer.AsSpan(classes).Fill(pad);

            long target = -1;
            if (soft)
            {
                var targetRow = new ReadOnlySpan<T>((T*)targetAddress + (long)i * classes, classes);
                if (!IsDistribution(targetRow, tolerance))
                {
                    return new RowError("target", $"target row {i} is not a probability distribution: entries must be >= 0 and sum to 1 (within {LossValidation.DistributionTolerance}).");
                }
                targetRow.CopyTo(softBuffer);
            }
            else
            {
                target = ((long*)targetAddress)[i];
                if ((ulong)target >= (ulong)classes)
                {
                    return new RowError("target", $"target[{i}] = {target} is not a class index in [0, {classes}).");
                }
            }

            if (Logits)
            {
                if (!RowSoftmax.Apply(row))
                {
                    return new RowError("input", $"input row {i} holds NaN or infinite logits.");
                }
            }
            else if (!IsDistribution(source, tolerance))
            {
                return new RowError("input", $"input row {i} is not a probability distribution: entries must be >= 0 and sum to 1 (within {LossValidation.DistributionTolerance}); pass logits with the default input type.");
            }

            double w = weights is null ? 1.0 : weights[i];
            T value = _kernel.Row(row, scratch, target, softRow, Logits, T.CreateChecked(w * reductionScale), needGrad);
            double weighted = w * double.CreateChecked(value);
            sum += weighted;
            if (perRowAddress != 0)
            {
                ((T*)perRowAddress)[i] = T.CreateChecked(weighted);
            }
            if (needGrad)
            {
                rowBuffer.AsSpan(0, classes).CopyTo(new Span<T>((T*)gradAddress + (long)i * classes, classes));
            }
        }
        return null;
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

    private static unsafe nint Address(Tensor t) => (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));

    private readonly record struct RowError(string Parameter, string Message);
}
