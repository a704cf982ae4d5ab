namespace EarthMover.Training;

/// <summary>
/// The ranked probability score of predicted distributions over ordered classes: for one row with predicted
/// probabilities p and true class y, RPS = Σ_{m=1..C} (P_m − T_m)², where P_m = p_1 + ... + p_m is the predicted
/// cumulative distribution and T_m = 1 if y ≤ m, else 0 (the last term is always 0). Averaged over rows; 0 for
/// a certain, correct prediction, at most C − 1; lower is better. It is a proper scoring rule: its expectation
/// is smallest when the predicted distribution is the true one, so, unlike an argmax metric, it does not reward
/// a model that predicts the majority class for everything. (It equals the squared EMD loss with unit spacing
/// and the plain sum, s = 1.)
/// </summary>
public static class RankedProbabilityScore
{
    /// <summary>The mean RPS of <paramref name="distributions"/> (one row of C probabilities each) against the true classes.</summary>
    public static double Mean(IReadOnlyList<double[]> distributions, IReadOnlyList<int> truth)
    {
        if (distributions.Count != truth.Count)
        {
            throw new ArgumentException($"{distributions.Count} distributions but {truth.Count} labels.", nameof(truth));
        }
        double total = 0;
        for (int i = 0; i < distributions.Count; i++)
        {
            total += Of(distributions[i], truth[i]);
        }
        return distributions.Count == 0 ? double.NaN : total / distributions.Count;
    }

    /// <summary>The RPS of one predicted distribution against its true class.</summary>
    public static double Of(IReadOnlyList<double> probabilities, int label)
    {
        double cumulative = 0;
        double score = 0;
        for (int m = 0; m < probabilities.Count; m++)
        {
            cumulative += probabilities[m];
            double difference = cumulative - (label <= m ? 1 : 0);
            score += difference * difference;
        }
        return score;
    }
}
