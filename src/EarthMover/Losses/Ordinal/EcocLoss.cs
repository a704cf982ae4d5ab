using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
        var o = logits ? torch.sigmoid(input) : input;
        var d = o - OrdinalMath.Levels(target, classes, input.dtype, input.device);
        return (d * d).sum(1).MoveToOuterDisposeScope();
    }
}

/// <summary>L = Σ_q (o_q - c_q)², dL/do_q = 2(o_q - c_q), times σ'(z_q) = o_q (1 - o_q) for logits.</summary>
internal sealed class EcocKernel(int classes, bool logits) : IRawRowKernel
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
            double o = logits ? OrdinalMath.Sigmoid(x[q]) : x[q];
            double d = o - (target > q ? 1 : 0);
            loss += d * d;
            if (!gradient.IsEmpty)
            {
                gradient[q] = logits ? 2 * d * o * (1 - o) : 2 * d;
            }
        }
        return loss;
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
            int start = Math.Min(q, width - TL.Count);
            var lanes = TL.Indices + TL.Create(start);
            var fresh = TL.GreaterThanOrEqual(lanes, TL.Create(q));
            var v = TL.Load(ref x0, start);
            var o = v;
            if (logits)
            {
                var e = TL.Exp(-TL.Abs(v));
                o = TL.Select(TL.GreaterThanOrEqual(v, TL.Zero), one, e) * TL.Reciprocal(one + e);
            }
            var d = o - (one & TL.GreaterThan(y, lanes));
            sum += fresh & (d * d);
            if (!gradient.IsEmpty)
            {
                var g = d + d;
                (logits ? g * o * (one - o) : g).Store(ref g0, start);
            }
        }
        return TL.Sum(sum);
    }
}
