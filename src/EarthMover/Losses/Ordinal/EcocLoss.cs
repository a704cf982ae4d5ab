using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EarthMover.Kernels.Rows;

namespace EarthMover;

/// <summary>Ordinal ECOC distance loss (docs/math.md §24).</summary>
internal sealed class EcocDefinition : ThresholdDefinition
{
    public override string Name => "ecoc_loss";

    public override bool AcceptsProbabilities => true;

    public override bool ProbabilitiesPerEntry => true;

    public override IRawRowKernel RawRowKernel(int classes, bool logits) => new EcocKernel(classes, logits);

    public override Tensor TensorRows(Tensor input, Tensor target, bool logits)
    {
        using var scope = torch.NewDisposeScope();
        int classes = (int)input.size(1) + 1;
        var d = logits ? OrdinalMath.ThresholdResiduals(input, target, classes) : input - OrdinalMath.Levels(target, classes, input.dtype, input.device);
        return (d * d).sum(1).MoveToOuterDisposeScope();
    }
}

/// <summary>L = Σ_q (o_q - c_q)², dL/do_q = 2(o_q - c_q), times σ'(z_q) = o_q (1 - o_q) for logits.</summary>
internal sealed class EcocKernel(int classes, bool logits) : IRawRowKernel, ISingleRowKernel
{
    public int Width => classes - 1;

    public int Classes => classes;

    public long RowCost => 6L * classes;

    public bool EntriesInUnitInterval => !logits;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Row(ReadOnlySpan<double> x, int target, Span<double> gradient)
    {
        double loss = 0;
        int q = 0;
        int lanes = RowVectors.LanesFor(classes - 1);
        if (lanes != 0)
        {
            loss = lanes == 8 ? Vectors<Lanes512>(x, target, gradient) : Vectors<Lanes256>(x, target, gradient);
            q = classes - 1;
        }
        for (; q < classes - 1; q++)
        {
            bool above = target > q;
            if (!logits)
            {
                double d = x[q] - (above ? 1 : 0);
                loss += d * d;
                if (!gradient.IsEmpty)
                {
                    gradient[q] = 2 * d;
                }
                continue;
            }
            // d = σ(z) - c as ±(1 or e)/(1 + e), e = e^-|z| (no cancellation where σ is near c); σ(1 - σ) = e/(1 + e)².
            double z = x[q];
            double e = Math.Exp(-Math.Abs(z));
            double r = 1 / (1 + e);
            double residual = above ? -(z >= 0 ? e : 1) * r : (z >= 0 ? 1 : e) * r;
            loss += residual * residual;
            if (!gradient.IsEmpty)
            {
                gradient[q] = 2 * residual * e * r * r;
            }
        }
        return loss;
    }

    public bool HasSingleRows => logits && classes - 1 >= SingleLanes.Count && SingleExp.IsSupported;

    /// <summary>
    /// A float32 row of logits, 8 a vector (the last overlapping the one before, its repeated lanes masked):
    /// d = σ(z) - c as ±(1 or e)/(1 + e) with e = e^-|z| (no cancellation where σ is near c), σ(1 - σ) = e/(1 + e)².
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryRowSingle(ReadOnlySpan<float> x, int target, Span<float> gradient, float scale, out double loss)
    {
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float g0 = ref MemoryMarshal.GetReference(gradient);
        int width = classes - 1;
        var y = Vector256.Create((float)target);
        var one = Vector256<float>.One;
        var twice = Vector256.Create(2 * scale);
        var sum = Vector256<float>.Zero;
        for (int q = 0; q < width; q += SingleLanes.Count)
        {
            int start = SingleLanes.Start(q, width, out var lanes, out var fresh);
            var z = Vector256.LoadUnsafe(ref x0, (nuint)start);
            var level = Vector256.GreaterThan(y, lanes);
            var e = SingleExp.Exp(-Vector256.Abs(z));
            var r = SingleLanes.Reciprocal(one + e);
            var positive = Vector256.GreaterThanOrEqual(z, Vector256<float>.Zero);
            var d = (Vector256.ConditionalSelect(positive ^ level, one, e) * r) ^ (level & SingleLanes.SignBit);
            sum += fresh & (d * d);
            if (!gradient.IsEmpty)
            {
                (twice * d * e * r * r).StoreUnsafe(ref g0, (nuint)start);
            }
        }
        loss = SingleLanes.Sum(sum);
        return true;
    }

    /// <summary>The whole row a vector at a time, the last vector overlapping the one before (its repeated lanes masked).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Vectors<TL>(ReadOnlySpan<double> x, int target, Span<double> gradient)
        where TL : struct, ILanes<TL>
    {
        ref double x0 = ref MemoryMarshal.GetReference(x);
        ref double g0 = ref MemoryMarshal.GetReference(gradient);
        int width = classes - 1;
        var y = TL.Create(target);
        var one = TL.One;
        var sum = TL.Zero;
        for (int q = 0; q < width; q += TL.Count)
        {
            int start = RowVectors.Window<TL>(q, width, out var lanes, out var fresh);
            var v = TL.Load(ref x0, start);
            var above = TL.GreaterThan(y, lanes);
            if (!logits)
            {
                var d = v - (one & above);
                sum += fresh & (d * d);
                if (!gradient.IsEmpty)
                {
                    (d + d).Store(ref g0, start);
                }
                continue;
            }
            // As in Row: ±(1 or e)/(1 + e), no cancellation where σ is near the code.
            var e = TL.Exp(-TL.Abs(v));
            var r = TL.Reciprocal(one + e);
            var positive = TL.GreaterThanOrEqual(v, TL.Zero);
            var residual = TL.Select(above, -(TL.Select(positive, e, one) * r), TL.Select(positive, one, e) * r);
            sum += fresh & (residual * residual);
            if (!gradient.IsEmpty)
            {
                (TL.Create(2.0) * residual * e * r * r).Store(ref g0, start);
            }
        }
        return TL.Sum(sum);
    }
}
