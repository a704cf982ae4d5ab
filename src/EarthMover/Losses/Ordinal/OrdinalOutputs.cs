// TorchSharp's own naming at the API boundary: lower-case static classes and snake_case functions.
#pragma warning disable CS8981, CA1707


namespace EarthMover;

public static partial class earthmover
{
    /// <summary>
    /// Prediction rules of the ordinal models and the conversion of their outputs into proper class distributions
    /// (docs/math.md §16-§18, §24), so that every metric and every EMD-based score applies to them. All are tensor
    /// operations on the input's device, differentiable where the math is.
    /// </summary>
    public static class ordinal
    {
        /// <summary>
        /// CORAL's class distribution (docs/math.md §16) from its K - 1 logits: with the running minimum
        /// P̃_q = min_{t ≤ q} σ(z_t) (the largest non-increasing sequence below the cumulative probabilities),
        /// p_0 = 1 - P̃_0, p_k = P̃_{k-1} - P̃_k, p_{K-1} = P̃_{K-2}: non-negative, summing to 1, the plain differences
        /// σ(z_{k-1}) - σ(z_k) for rank-consistent outputs.
        /// </summary>
        /// <param name="logits">N x (K - 1) threshold logits.</param>
        /// <returns>N x K class probabilities.</returns>
        public static Tensor coral_probabilities(Tensor logits)
        {
            CheckThresholds(logits, nameof(logits));
            using var scope = torch.NewDisposeScope();
            var cumulative = torch.cummin(torch.sigmoid(logits), 1).values;
            var above = torch.cat([torch.ones_like(cumulative.narrow(1, 0, 1)), cumulative], 1);
            var below = torch.cat([cumulative, torch.zeros_like(cumulative.narrow(1, 0, 1))], 1);
            return (above - below).MoveToOuterDisposeScope();
        }

        /// <summary>The logistic all-threshold model's class distribution (docs/math.md §18): the cumulative-link reading of its margins, the same as <see cref="coral_probabilities"/>.</summary>
        /// <param name="margins">N x (K - 1) margins z_q = f - θ_q.</param>
        /// <returns>N x K class probabilities.</returns>
        public static Tensor logistic_at_probabilities(Tensor margins) => coral_probabilities(margins);

        /// <summary>
        /// CORN's class distribution (docs/math.md §17): P(y &gt; q) = Π_{t ≤ q} σ(z_t), p_0 = σ(-z_0),
        /// p_k = P(y &gt; k - 1) σ(-z_k), p_{K-1} = P(y &gt; K - 2), in log space (no probability is a difference).
        /// </summary>
        /// <param name="logits">N x (K - 1) conditional logits.</param>
        /// <returns>N x K class probabilities.</returns>
        public static Tensor corn_probabilities(Tensor logits)
        {
            CheckThresholds(logits, nameof(logits));
            using var scope = torch.NewDisposeScope();
            var logAbove = torch.nn.functional.logsigmoid(logits).cumsum(1);
            var logNotNext = torch.nn.functional.logsigmoid(logits.neg());
            var zero = torch.zeros_like(logits.narrow(1, 0, 1));
            var prefix = torch.cat([zero, logAbove.narrow(1, 0, logits.size(1) - 1)], 1);
            var inner = prefix + logNotNext;
            return torch.cat([inner, logAbove.narrow(1, logits.size(1) - 1, 1)], 1).exp().MoveToOuterDisposeScope();
        }

        /// <summary>
        /// The class of a threshold model (CORAL, logistic all-threshold): the number of thresholds passed,
        /// #{q : z_q &gt; 0} (coral-pytorch's <c>proba_to_label</c>; z_q = 0 is not passed).
        /// </summary>
        /// <param name="logits">N x (K - 1) logits.</param>
        /// <returns>N class indices (int64).</returns>
        public static Tensor threshold_predict(Tensor logits)
        {
            CheckThresholds(logits, nameof(logits));
            using var scope = torch.NewDisposeScope();
            return logits.gt(0).sum(1).to(ScalarType.Int64).MoveToOuterDisposeScope();
        }

        /// <summary>CORN's class: #{q : Π_{t ≤ q} σ(z_t) &gt; 1/2} (coral-pytorch's <c>corn_label_from_logits</c>).</summary>
        /// <param name="logits">N x (K - 1) conditional logits.</param>
        /// <returns>N class indices (int64).</returns>
        public static Tensor corn_predict(Tensor logits)
        {
            CheckThresholds(logits, nameof(logits));
            using var scope = torch.NewDisposeScope();
            var above = torch.nn.functional.logsigmoid(logits.to(ScalarType.Float64)).cumsum(1).exp();
            return above.gt(0.5).sum(1).to(ScalarType.Int64).MoveToOuterDisposeScope();
        }

        /// <summary>The ordinal ECOC code matrix (docs/math.md §24): c_kq = [k &gt; q], K x (K - 1).</summary>
        /// <param name="classes">K ≥ 2.</param>
        /// <param name="dtype">The element type (default float64).</param>
        /// <param name="device">The device (default CPU).</param>
        public static Tensor ecoc_code_matrix(int classes, ScalarType dtype = ScalarType.Float64, Device? device = null)
        {
            if (classes < 2)
            {
                throw new ArgumentException($"classes = {classes}; there must be K >= 2 classes.", nameof(classes));
            }
            using var scope = torch.NewDisposeScope();
            var k = torch.arange(classes, dtype: ScalarType.Int64, device: device);
            var q = torch.arange(classes - 1, dtype: ScalarType.Int64, device: device);
            return k.unsqueeze(1).gt(q.unsqueeze(0)).to(dtype).MoveToOuterDisposeScope();
        }

        /// <summary>ECOC decoding scores s_k = -‖o - c_k‖₂ (Euclidean; dlordinal's ECOCOutputTransformer).</summary>
        /// <param name="outputs">N x (K - 1) probabilities o_q (sigmoid outputs).</param>
        /// <returns>N x K scores.</returns>
        public static Tensor ecoc_scores(Tensor outputs)
        {
            CheckThresholds(outputs, nameof(outputs));
            using var scope = torch.NewDisposeScope();
            var code = ecoc_code_matrix((int)outputs.size(1) + 1, outputs.dtype, outputs.device);
            var d = outputs.unsqueeze(1) - code.unsqueeze(0);
            return (d * d).sum(2).sqrt().neg().MoveToOuterDisposeScope();
        }

        /// <summary>ECOC class probabilities: softmax of <see cref="ecoc_scores"/>.</summary>
        /// <param name="outputs">N x (K - 1) probabilities o_q.</param>
        /// <returns>N x K class probabilities.</returns>
        public static Tensor ecoc_probabilities(Tensor outputs)
        {
            using var scores = ecoc_scores(outputs);
            return scores.softmax(1);
        }

        /// <summary>ECOC prediction: the class of the nearest code word (argmax of the scores; the first on ties).</summary>
        /// <param name="outputs">N x (K - 1) probabilities o_q.</param>
        /// <returns>N class indices (int64).</returns>
        public static Tensor ecoc_predict(Tensor outputs)
        {
            using var scores = ecoc_scores(outputs);
            return scores.argmax(1);
        }

        private static void CheckThresholds(Tensor t, string parameter)
        {
            ArgumentNullException.ThrowIfNull(t, parameter);
            if (t.dim() != 2 || t.size(1) < 1 || !t.is_floating_point())
            {
                throw new ArgumentException($"{parameter} must be a floating-point N x (K - 1) tensor with K >= 2; it has shape {Check.Shape(t)} and type {t.dtype}.", parameter);
            }
        }
    }
}
