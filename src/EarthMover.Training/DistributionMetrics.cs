namespace EarthMover.Training;

/// <summary>
/// NIMA's metrics (Talebi and Milanfar, 2018) for predicted distributions p against target distributions t over
/// ordered classes with scores x_1 &lt; ... &lt; x_C (class positions, 0..C−1 by default):
/// <list type="bullet">
/// <item>mean EMD with r = 1 and r = 2: per row (1/C Σ_k |P_k − T_k|^r)^(1/r) with P, T the cumulative distributions, averaged over rows;</item>
/// <item>LCC and SRCC: Pearson's and Spearman's correlation (average ranks for ties) of the predicted mean score Σ x_k p_k with the true mean score Σ x_k t_k;</item>
/// <item>accuracy: the share of rows whose predicted and true mean scores fall on the same side of a threshold (high: mean ≥ threshold).</item>
/// </list>
/// Also the ranked probability score generalised to target distributions, Σ_k (P_k − T_k)² (the run's model selection score).
/// </summary>
/// <param name="Samples">The rows scored.</param>
/// <param name="MeanEmd1">The mean EMD with r = 1.</param>
/// <param name="MeanEmd2">The mean EMD with r = 2.</param>
/// <param name="Lcc">Pearson's correlation of the predicted and true mean scores.</param>
/// <param name="Srcc">Spearman's correlation of the predicted and true mean scores.</param>
/// <param name="Accuracy">The share of rows whose mean scores fall on the same side of <paramref name="Threshold"/>.</param>
/// <param name="Threshold">The mean score from which a distribution counts as high.</param>
/// <param name="Rps">The generalised ranked probability score, averaged over rows.</param>
public sealed record DistributionMetrics(int Samples, double MeanEmd1, double MeanEmd2, double Lcc, double Srcc, double Accuracy, double Threshold, double Rps)
{
    /// <summary>The default --threshold: the middle of the scale, (x_1 + x_C) / 2.</summary>
    public static double DefaultThreshold(IReadOnlyList<double> scores) => (scores[0] + scores[^1]) / 2;

    /// <summary>The metrics of <paramref name="predicted"/> against <paramref name="truth"/> (rows of C probabilities each).</summary>
    public static DistributionMetrics Compute(IReadOnlyList<double[]> predicted, IReadOnlyList<double[]> truth, IReadOnlyList<double> scores, double threshold)
    {
        if (predicted.Count != truth.Count)
        {
            throw new ArgumentException($"{predicted.Count} predictions but {truth.Count} targets.", nameof(truth));
        }
        int n = predicted.Count;
        double emd1 = 0, emd2 = 0, rps = 0;
        var predictedMean = new double[n];
        var trueMean = new double[n];
        int agree = 0;
        for (int i = 0; i < n; i++)
        {
            var (p, t) = (predicted[i], truth[i]);
            double cp = 0, ct = 0, sum1 = 0, sum2 = 0;
            for (int k = 0; k < p.Length; k++)
            {
                cp += p[k];
                ct += t[k];
                double d = Math.Abs(cp - ct);
                sum1 += d;
                sum2 += d * d;
                predictedMean[i] += scores[k] * p[k];
                trueMean[i] += scores[k] * t[k];
            }
            emd1 += sum1 / p.Length;
            emd2 += Math.Sqrt(sum2 / p.Length);
            rps += sum2;
            agree += (predictedMean[i] >= threshold) == (trueMean[i] >= threshold) ? 1 : 0;
        }
        return new DistributionMetrics(n, emd1 / n, emd2 / n, Pearson(predictedMean, trueMean), Spearman(predictedMean, trueMean), (double)agree / n, threshold, rps / n);
    }

    /// <summary>The generalised RPS alone: mean over rows of Σ_k (P_k − T_k)².</summary>
    public static double MeanRps(IReadOnlyList<double[]> predicted, IReadOnlyList<double[]> truth)
    {
        double total = 0;
        for (int i = 0; i < predicted.Count; i++)
        {
            double cp = 0, ct = 0;
            for (int k = 0; k < predicted[i].Length; k++)
            {
                cp += predicted[i][k];
                ct += truth[i][k];
                total += (cp - ct) * (cp - ct);
            }
        }
        return predicted.Count == 0 ? double.NaN : total / predicted.Count;
    }

    /// <summary>Pearson's correlation; NaN when either side is constant.</summary>
    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NaN;
    }

    /// <summary>Spearman's correlation: Pearson's of the ranks, tied values sharing their average rank (SciPy's spearmanr).</summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y) => Pearson(Ranks(x), Ranks(y));

    /// <summary>Ranks 1..n, ties given their average rank.</summary>
    public static double[] Ranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
            {
                end++;
            }
            double rank = (start + end) / 2.0 + 1;
            for (int j = start; j <= end; j++)
            {
                ranks[order[j]] = rank;
            }
            start = end + 1;
        }
        return ranks;
    }
}
