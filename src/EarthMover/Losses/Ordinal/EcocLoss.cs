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

    public double Row(ReadOnlySpan<double> x, int target, Span<double> gradient)
    {
        double loss = 0;
        for (int q = 0; q < classes - 1; q++)
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
}
