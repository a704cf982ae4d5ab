using EarthMover.Engine;
using EarthMover.Kernels.Rows;
using EarthMover.Losses.Ordinal;

namespace EarthMover;

public static partial class earthmover
{
    public static partial class nn
    {
        /// <summary>The logistic all-threshold loss as a module; see <see cref="functional.logistic_at_loss"/>.</summary>
        /// <param name="weight">Optional per-class weights (K), finite and ≥ 0 (docs/math.md §18).</param>
        /// <param name="reduction">Mean (weighted mean over samples), Sum or None.</param>
        public static Modules.LogisticATLoss LogisticATLoss(Tensor? weight = null, Reduction reduction = Reduction.Mean) => new(weight, reduction);

        public static partial class functional
        {
            /// <summary>
            /// Logistic all-threshold (Rennie and Srebro 2005, as dlordinal's LogisticATLoss; docs/math.md §18): with
            /// margins z_iq = f_i - θ_q, every threshold penalises the wrong side, L_i = Σ_{q &lt; y_i} softplus(-z_iq)
            /// + Σ_{q ≥ y_i} softplus(z_iq) = Σ_q [softplus(z_iq) - [y_i &gt; q] z_iq]; dL/dz_iq = σ(z_iq) - [y_i &gt; q].
            /// dlordinal returns the batch sum (Reduction.Sum here); Mean is the (weighted) mean over samples. Its
            /// regulariser on the layer's weight belongs to the optimiser. Prediction: the number of thresholds below
            /// f (<see cref="ordinal.threshold_predict"/>); distribution <see cref="ordinal.logistic_at_probabilities"/>.
            /// </summary>
            /// <param name="input">N x (K - 1) logits (K ≥ 2 classes).</param>
            /// <param name="target">N class indices in [0, K).</param>
            /// <param name="input_type">Logits only (the default); Probabilities is refused.</param>
            /// <param name="weight">Optional per-class weights (K), finite and ≥ 0: sample i is weighted by weight[target_i].</param>
            /// <param name="sample_weight">Optional per-sample weights (N), finite and ≥ 0.</param>
            /// <param name="reduction">Mean (default), Sum or None.</param>
            /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
            /// <exception cref="ArgumentException">A shape, class index or weight is invalid, or the input holds NaN.</exception>
            public static Tensor logistic_at_loss(
                Tensor input,
                Tensor target,
                EmdInput? input_type = null,
                Tensor? weight = null,
                Tensor? sample_weight = null,
                Reduction reduction = Reduction.Mean) =>
                LossEngine.Run(new LogisticAtDefinition(), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);
        }
    }
}

/// <summary>Logistic all-threshold (docs/math.md §18): CORAL's per-sample loss without importance weights.</summary>
internal sealed class LogisticAtDefinition : ThresholdDefinition
{
    public override string Name => "logistic_at_loss";

    public override IRawRowKernel RawRowKernel(int classes, bool logits) => new ThresholdKernel(classes, null, conditional: false);

    public override Tensor TensorRows(Tensor input, Tensor target, bool logits)
    {
        using var scope = torch.NewDisposeScope();
        int classes = (int)input.size(1) + 1;
        var terms = OrdinalMath.Softplus(input) - OrdinalMath.Levels(target, classes, input.dtype, input.device) * input;
        return terms.sum(1).MoveToOuterDisposeScope();
    }
}
