using EarthMover.Engine;
using EarthMover.Kernels.Rows;
using EarthMover.Losses.Ordinal;

namespace EarthMover;

public static partial class earthmover
{
    public static partial class nn
    {
        /// <summary>CORAL's loss as a module; see <see cref="functional.coral_loss"/>.</summary>
        /// <param name="importance_weights">Optional per-task weights λ_q (K - 1 values, finite, ≥ 0).</param>
        /// <param name="weight">Optional per-class weights (K), finite and ≥ 0 (docs/math.md §15).</param>
        /// <param name="reduction">Mean (weighted mean with sample weights), Sum or None.</param>
        public static Modules.CoralLoss CoralLoss(IReadOnlyList<double>? importance_weights = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
            new(importance_weights, weight, reduction);

        public static partial class functional
        {
            /// <summary>
            /// CORAL (Cao, Mirjalili and Raschka 2020; docs/math.md §16): the K - 1 binary tasks "y &gt; q" of a
            /// threshold model, L_i = Σ_q λ_q [softplus(z_iq) - [y_i &gt; q] z_iq] (the binary cross-entropy with
            /// logits summed over tasks, exact for any finite logits), dL/dz_iq = λ_q (σ(z_iq) - [y_i &gt; q]).
            /// Mean is the (weighted) mean over samples of L_i, as coral-pytorch 1.4's <c>coral_loss</c>. The
            /// prediction is the number of thresholds passed (<see cref="ordinal.threshold_predict"/>), the class
            /// distribution <see cref="ordinal.coral_probabilities"/>; <see cref="CoralLayer"/> is the head.
            /// </summary>
            /// <param name="input">N x (K - 1) logits z_q (K ≥ 2 classes).</param>
            /// <param name="target">N class indices in [0, K).</param>
            /// <param name="importance_weights">Optional per-task weights λ_q (K - 1 values, finite, ≥ 0; default 1).</param>
            /// <param name="input_type">Logits only (the default); Probabilities is refused.</param>
            /// <param name="weight">Optional per-class weights (K), finite and ≥ 0: sample i is weighted by weight[target_i].</param>
            /// <param name="sample_weight">Optional per-sample weights (N), finite and ≥ 0; Mean divides by the sum of the weights.</param>
            /// <param name="reduction">Mean (default), Sum or None.</param>
            /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
            /// <exception cref="ArgumentException">A shape, class index, weight or option is invalid, or the input holds NaN.</exception>
            public static Tensor coral_loss(
                Tensor input,
                Tensor target,
                IReadOnlyList<double>? importance_weights = null,
                EmdInput? input_type = null,
                Tensor? weight = null,
                Tensor? sample_weight = null,
                Reduction reduction = Reduction.Mean) =>
                LossEngine.Run(new CoralDefinition(importance_weights), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);
        }
    }
}

/// <summary>CORAL (docs/math.md §16).</summary>
internal sealed class CoralDefinition : ThresholdDefinition
{
    private readonly double[]? _importance;

    public CoralDefinition(IReadOnlyList<double>? importanceWeights)
    {
        _importance = OrdinalMath.NonNegative(importanceWeights, "importance_weights");
    }

    public override string Name => "coral_loss";

    public override void CheckClasses(int classes)
    {
        if (_importance is not null && _importance.Length != classes - 1)
        {
            throw OrdinalMath.Invalid($"importance_weights has {_importance.Length} entries but there are {classes - 1} thresholds (K = {classes}); give one per threshold.", "importance_weights");
        }
    }

    public override IRawRowKernel RawRowKernel(int classes, bool logits) => new ThresholdKernel(classes, _importance, conditional: false);

    public override Tensor TensorRows(Tensor input, Tensor target, bool logits)
    {
        using var scope = torch.NewDisposeScope();
        int classes = (int)input.size(1) + 1;
        var terms = OrdinalMath.Softplus(input) - OrdinalMath.Levels(target, classes, input.dtype, input.device) * input;
        if (_importance is not null)
        {
            terms = terms * torch.tensor(_importance, dtype: input.dtype, device: input.device);
        }
        return terms.sum(1).MoveToOuterDisposeScope();
    }
}
