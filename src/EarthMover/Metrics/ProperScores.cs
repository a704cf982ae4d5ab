namespace EarthMover;

/// <summary>
/// Proper scoring rules for a predicted distribution p = (p_1, ..., p_C) over C classes against the truth: a true
/// class y (the one-hot target t with t_y = 1) or a target distribution t. Lower is better for all three. A score is
/// (strictly) proper when its expectation under the true distribution q is smallest at p = q (only there), so a
/// model cannot gain by reporting anything but its beliefs; the mean EMD between p and a one-hot truth,
/// E_p |k − y| = Σ_k p_k |k − y|, is linear in p and not proper (it is smallest at a point mass on the median of q).
/// <list type="bullet">
/// <item><b>Ranked probability score</b> (Epstein 1969), over ordered classes: RPS = Σ_{m=1..C} (P_m − T_m)², with
/// P_m = p_1 + ... + p_m and T_m = t_1 + ... + t_m the cumulative distributions (for a true class y, T_m = 1 when
/// y ≤ m). The unnormalised sum, in [0, C − 1]: the repository's validation RPS (the CLI's model-selection score)
/// and the squared EMD loss with <see cref="EmdNormalization.None"/>. Epstein's and Murphy's (1971) normalised RPS
/// divides by C − 1; do that to put datasets with different class counts on one scale. It is the sum over the
/// C − 1 thresholds m of the binary Brier score of the event "class ≤ m".</item>
/// <item><b>Log loss</b> (logarithmic score, cross-entropy): −log p_y, or −Σ_k t_k log p_k for a target distribution
/// (terms with t_k = 0 count 0). A probability below ε counts as ε, so a zero on the true class costs −log ε
/// (36.04 for the default ε = 2^−52) instead of infinity. That is scikit-learn 1.2's <c>log_loss</c> with its
/// default <c>eps='auto'</c> (ε = the float64 machine epsilon, 2^−52 ≈ 2.22e-16; versions before 1.2 used
/// 1e-15); scikit-learn also clips each p_k to at most 1 − ε and rescales the clipped row to sum 1, which moves
/// the score of a distribution by at most about (C − 1)·ε. Natural logarithm.</item>
/// <item><b>Brier score</b> (Brier 1950, the multi-class form): Σ_k (p_k − t_k)², the sum over the C classes (not
/// the mean), in [0, 2]. scikit-learn 1.2's <c>brier_score_loss</c> is binary only, (p_1 − t_1)² for the positive
/// class; for C = 2 this sum is twice it.</item>
/// </list>
/// Rows must be probability distributions: entries finite and ≥ 0, summing to 1 within
/// <see cref="LossValidation.DistributionTolerance"/> (they are used as given, not rescaled). Means are plain
/// averages over rows.
/// </summary>
public static class ProperScores
{
    /// <summary>The default floor ε of the log loss: 2^−52 ≈ 2.220446049250313e-16, the float64 machine epsilon (scikit-learn 1.2's eps='auto').</summary>
    public const double LogLossEpsilon = 2.220446049250313e-16;

    /// <summary>The ranked probability score of one predicted distribution against its true class: Σ_{m=1..C} (P_m − [y ≤ m])².</summary>
    /// <param name="probabilities">The predicted distribution over C ≥ 2 ordered classes.</param>
    /// <param name="label">The true class, in [0, C).</param>
    /// <exception cref="ArgumentException">Not a distribution, fewer than 2 classes, or a class out of range.</exception>
    public static double RankedProbabilityScore(ReadOnlySpan<double> probabilities, int label)
    {
        CheckRow(probabilities, label);
        double cumulative = 0, score = 0;
        for (int m = 0; m < probabilities.Length; m++)
        {
            cumulative += probabilities[m];
            double difference = cumulative - (m >= label ? 1 : 0);
            score += difference * difference;
        }
        return score;
    }

    /// <summary>The ranked probability score of one predicted distribution against a target distribution: Σ_{m=1..C} (P_m − T_m)².</summary>
    /// <param name="probabilities">The predicted distribution over C ≥ 2 ordered classes.</param>
    /// <param name="target">The target distribution, C entries.</param>
    /// <exception cref="ArgumentException">Either is not a distribution, fewer than 2 classes, or the lengths differ.</exception>
    public static double RankedProbabilityScore(ReadOnlySpan<double> probabilities, ReadOnlySpan<double> target)
    {
        CheckRow(probabilities, target);
        double p = 0, t = 0, score = 0;
        for (int m = 0; m < probabilities.Length; m++)
        {
            p += probabilities[m];
            t += target[m];
            score += (p - t) * (p - t);
        }
        return score;
    }

    /// <summary>The log loss of one predicted distribution against its true class: −log max(p_y, ε).</summary>
    /// <param name="probabilities">The predicted distribution over C ≥ 2 classes.</param>
    /// <param name="label">The true class, in [0, C).</param>
    /// <param name="epsilon">The floor ε, in (0, 1): a smaller probability counts as ε.</param>
    /// <exception cref="ArgumentException">Not a distribution, fewer than 2 classes, a class out of range, or ε outside (0, 1).</exception>
    public static double LogLoss(ReadOnlySpan<double> probabilities, int label, double epsilon = LogLossEpsilon)
    {
        CheckEpsilon(epsilon);
        CheckRow(probabilities, label);
        return -Math.Log(Math.Max(probabilities[label], epsilon));
    }

    /// <summary>The log loss (cross-entropy) of one predicted distribution against a target distribution: −Σ_k t_k log max(p_k, ε), terms with t_k = 0 counting 0.</summary>
    /// <param name="probabilities">The predicted distribution over C ≥ 2 classes.</param>
    /// <param name="target">The target distribution, C entries.</param>
    /// <param name="epsilon">The floor ε, in (0, 1): a smaller probability counts as ε.</param>
    /// <exception cref="ArgumentException">Either is not a distribution, fewer than 2 classes, the lengths differ, or ε outside (0, 1).</exception>
    public static double LogLoss(ReadOnlySpan<double> probabilities, ReadOnlySpan<double> target, double epsilon = LogLossEpsilon)
    {
        CheckEpsilon(epsilon);
        CheckRow(probabilities, target);
        double score = 0;
        for (int k = 0; k < probabilities.Length; k++)
        {
            if (target[k] > 0)
            {
                score -= target[k] * Math.Log(Math.Max(probabilities[k], epsilon));
            }
        }
        return score;
    }

    /// <summary>The multi-class Brier score of one predicted distribution against its true class: Σ_k (p_k − [k = y])², the sum over classes.</summary>
    /// <param name="probabilities">The predicted distribution over C ≥ 2 classes.</param>
    /// <param name="label">The true class, in [0, C).</param>
    /// <exception cref="ArgumentException">Not a distribution, fewer than 2 classes, or a class out of range.</exception>
    public static double BrierScore(ReadOnlySpan<double> probabilities, int label)
    {
        CheckRow(probabilities, label);
        double score = 0;
        for (int k = 0; k < probabilities.Length; k++)
        {
            double difference = probabilities[k] - (k == label ? 1 : 0);
            score += difference * difference;
        }
        return score;
    }

    /// <summary>The multi-class Brier score of one predicted distribution against a target distribution: Σ_k (p_k − t_k)², the sum over classes.</summary>
    /// <param name="probabilities">The predicted distribution over C ≥ 2 classes.</param>
    /// <param name="target">The target distribution, C entries.</param>
    /// <exception cref="ArgumentException">Either is not a distribution, fewer than 2 classes, or the lengths differ.</exception>
    public static double BrierScore(ReadOnlySpan<double> probabilities, ReadOnlySpan<double> target)
    {
        CheckRow(probabilities, target);
        double score = 0;
        for (int k = 0; k < probabilities.Length; k++)
        {
            double difference = probabilities[k] - target[k];
            score += difference * difference;
        }
        return score;
    }

    /// <summary>The three scores averaged over rows: (1/N) Σ_i score(p_i, y_i) each, with the log loss at floor <paramref name="epsilon"/>.</summary>
    /// <param name="probabilities">One predicted distribution per sample, each over the same C ≥ 2 classes.</param>
    /// <param name="truth">The true class of each sample, in [0, C).</param>
    /// <param name="epsilon">The log loss's floor ε, in (0, 1).</param>
    /// <exception cref="ArgumentException">No rows, unequal counts or class counts, a row that is not a distribution, a class out of range, or ε outside (0, 1); the message names the row.</exception>
    public static ProperScoreMeans Mean(IReadOnlyList<double[]> probabilities, IReadOnlyList<int> truth, double epsilon = LogLossEpsilon)
    {
        ArgumentNullException.ThrowIfNull(truth);
        CheckRows(probabilities, truth.Count, nameof(truth));
        CheckEpsilon(epsilon);
        double rps = 0, log = 0, brier = 0;
        for (int i = 0; i < truth.Count; i++)
        {
            var row = probabilities[i];
            if ((uint)truth[i] >= (uint)row.Length)
            {
                throw new ArgumentException($"{nameof(truth)}[{i}] = {truth[i]}; classes must be in [0, {row.Length}).", nameof(truth));
            }
            Rethrow(i, () =>
            {
                rps += RankedProbabilityScore(row, truth[i]);
                log += LogLoss(row, truth[i], epsilon);
                brier += BrierScore(row, truth[i]);
            });
        }
        int n = truth.Count;
        return new ProperScoreMeans(n, rps / n, log / n, brier / n);
    }

    /// <summary>The three scores averaged over rows against target distributions: (1/N) Σ_i score(p_i, t_i) each, with the log loss at floor <paramref name="epsilon"/>.</summary>
    /// <param name="probabilities">One predicted distribution per sample, each over the same C ≥ 2 classes.</param>
    /// <param name="targets">One target distribution per sample, C entries each.</param>
    /// <param name="epsilon">The log loss's floor ε, in (0, 1).</param>
    /// <exception cref="ArgumentException">No rows, unequal counts or class counts, a row that is not a distribution, or ε outside (0, 1); the message names the row.</exception>
    public static ProperScoreMeans Mean(IReadOnlyList<double[]> probabilities, IReadOnlyList<double[]> targets, double epsilon = LogLossEpsilon)
    {
        ArgumentNullException.ThrowIfNull(targets);
        CheckRows(probabilities, targets.Count, nameof(targets));
        CheckEpsilon(epsilon);
        double rps = 0, log = 0, brier = 0;
        for (int i = 0; i < targets.Count; i++)
        {
            var (row, target) = (probabilities[i], targets[i]);
            if (target is null || target.Length != row.Length)
            {
                throw new ArgumentException($"{nameof(targets)}[{i}] has {target?.Length ?? 0} entries for {row.Length} classes.", nameof(targets));
            }
            Rethrow(i, () =>
            {
                rps += RankedProbabilityScore(row, target);
                log += LogLoss(row, target, epsilon);
                brier += BrierScore(row, target);
            });
        }
        int n = targets.Count;
        return new ProperScoreMeans(n, rps / n, log / n, brier / n);
    }

    private static void CheckRows(IReadOnlyList<double[]> probabilities, int truthCount, string truthName)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        if (probabilities.Count == 0 || probabilities.Count != truthCount)
        {
            throw new ArgumentException($"{nameof(probabilities)} has {probabilities.Count} rows and {truthName} {truthCount}; they must be equal and not empty.", truthName);
        }
        int classes = probabilities[0]?.Length ?? 0;
        for (int i = 0; i < probabilities.Count; i++)
        {
            if (probabilities[i] is null || probabilities[i].Length != classes)
            {
                throw new ArgumentException($"{nameof(probabilities)}[{i}] has {probabilities[i]?.Length ?? 0} entries and row 0 has {classes}; every row needs the same C classes.", nameof(probabilities));
            }
        }
    }

    // A row's own check names "probabilities" or "target"; the mean's message adds which row it was.
    private static void Rethrow(int row, Action score)
    {
        try
        {
            score();
        }
        catch (ArgumentException e)
        {
            string name = e.ParamName == "target" ? "targets" : e.ParamName ?? "probabilities";
            throw new ArgumentException($"row {row}: {e.Message}", name, e);
        }
    }

    private static void CheckRow(ReadOnlySpan<double> probabilities, int label)
    {
        CheckDistribution(probabilities, nameof(probabilities));
        if ((uint)label >= (uint)probabilities.Length)
        {
            throw new ArgumentException($"{nameof(label)} = {label}; classes must be in [0, {probabilities.Length}).", nameof(label));
        }
    }

    private static void CheckRow(ReadOnlySpan<double> probabilities, ReadOnlySpan<double> target)
    {
        CheckDistribution(probabilities, nameof(probabilities));
        if (target.Length != probabilities.Length)
        {
            throw new ArgumentException($"{nameof(target)} has {target.Length} entries for {probabilities.Length} classes.", nameof(target));
        }
        CheckDistribution(target, nameof(target));
    }

    private static void CheckDistribution(ReadOnlySpan<double> row, string parameter)
    {
        if (row.Length < 2)
        {
            throw new ArgumentException($"{parameter} has {row.Length} entries; a distribution over C >= 2 classes is needed.", parameter);
        }
        double total = 0;
        foreach (double v in row)
        {
            if (!(v >= 0) || double.IsInfinity(v))
            {
                throw new ArgumentException($"{parameter} has the entry {v}; probabilities must be finite and >= 0.", parameter);
            }
            total += v;
        }
        if (Math.Abs(total - 1) > LossValidation.DistributionTolerance)
        {
            throw new ArgumentException($"{parameter} sums to {total}; a distribution sums to 1 (within {LossValidation.DistributionTolerance}).", parameter);
        }
    }

    private static void CheckEpsilon(double epsilon)
    {
        if (!(epsilon > 0 && epsilon < 1))
        {
            throw new ArgumentException($"{nameof(epsilon)} = {epsilon}; the log loss's floor must lie in (0, 1).", nameof(epsilon));
        }
    }
}
