using EarthMover.Engine;
using EarthMover.Kernels.Rows;
using EarthMover.Losses.Ordinal;

namespace EarthMover;

public static partial class earthmover
{
    public static partial class nn
    {
        /// <summary>CORN's loss as a module; see <see cref="functional.corn_loss"/>.</summary>
        /// <param name="weight">Optional per-class weights (K), finite and ≥ 0 (docs/math.md §17).</param>
        /// <param name="reduction">Mean (over (sample, task) pairs), Sum or None.</param>
        public static Modules.CornLoss CornLoss(Tensor? weight = null, Reduction reduction = Reduction.Mean) => new(weight, reduction);

        public static partial class functional
        {
            /// <summary>
            /// CORN (Shi, Cao and Raschka 2023; docs/math.md §17): task q (K - 1 outputs z_q, read as
            /// P(y &gt; q | y &gt; q - 1) = σ(z_q)) is trained on the samples with y ≥ q only, with label [y &gt; q]:
            /// sample i contributes b_iq = softplus(z_iq) - [y_i &gt; q] z_iq for q ≤ min(y_i, K - 2). Mean is the
            /// total over (sample, task) pairs divided by their (weighted) number, as coral-pytorch 1.4 and
            /// dlordinal; Sum and None hold each sample's total. The prediction is
            /// <see cref="ordinal.corn_predict"/>, the distribution <see cref="ordinal.corn_probabilities"/>.
            /// </summary>
            /// <param name="input">N x (K - 1) logits (K ≥ 2 classes).</param>
            /// <param name="target">N class indices in [0, K).</param>
            /// <param name="input_type">Logits only (the default); Probabilities is refused.</param>
            /// <param name="weight">Optional per-class weights (K): v_i = weight[target_i] multiplies all of sample i's pairs, in the mean's numerator and denominator.</param>
            /// <param name="sample_weight">Optional per-sample weights (N), finite and ≥ 0.</param>
            /// <param name="reduction">Mean (default), Sum or None.</param>
            /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
            /// <exception cref="ArgumentException">A shape, class index or weight is invalid, or the input holds NaN.</exception>
            public static Tensor corn_loss(
                Tensor input,
                Tensor target,
                EmdInput? input_type = null,
                Tensor? weight = null,
                Tensor? sample_weight = null,
                Reduction reduction = Reduction.Mean) =>
                LossEngine.Run(new CornDefinition(), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);
        }
    }
}

/// <summary>CORN (docs/math.md §17).</summary>
internal sealed class CornDefinition : ThresholdDefinition
{
    public override string Name => "corn_loss";

    public override IRawRowKernel RawRowKernel(int classes, bool logits) => new ThresholdKernel(classes, null, conditional: true);

    public override Tensor? MeanCounts(Tensor target, int classes, ScalarType dtype) =>
        (target.to(ScalarType.Int64) + 1).clamp_max(classes - 1).to(dtype);

    public override Tensor TensorRows(Tensor input, Tensor target, bool logits)
    {
        using var scope = torch.NewDisposeScope();
        int classes = (int)input.size(1) + 1;
        var q = torch.arange(classes - 1, dtype: ScalarType.Int64, device: input.device).unsqueeze(0);
        var inTask = target.to(ScalarType.Int64).unsqueeze(1).ge(q).to(input.dtype);
        var terms = OrdinalMath.Softplus(input) - OrdinalMath.Levels(target, classes, input.dtype, input.device) * input;
        return (terms * inTask).sum(1).MoveToOuterDisposeScope();
    }
}
