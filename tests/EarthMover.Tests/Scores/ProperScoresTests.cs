namespace EarthMover.Tests.Scores;

/// <summary>The proper scores against scikit-learn, SciPy and NumPy (reference/scores.py), and against brute force.</summary>
public class ProperScoresTests
{
    public static TheoryData<int> HardCases() => new(Enumerable.Range(0, ScoresFile.Load().Hard.Count));

    public static TheoryData<int> SoftCases() => new(Enumerable.Range(0, ScoresFile.Load().Soft.Count));

    [Fact]
    public void The_log_loss_floor_is_scikit_learns_float64_epsilon()
    {
        Assert.Equal(ProperScores.LogLossEpsilon, ScoresFile.Load().Epsilon);
        Assert.Equal(ProperScores.LogLossEpsilon, Math.BitIncrement(1.0) - 1.0);
    }

    [Theory]
    [MemberData(nameof(HardCases))]
    public void Scores_against_true_classes_equal_scikit_learn_and_numpy(int index)
    {
        var c = ScoresFile.Load().Hard[index];
        for (int i = 0; i < c.Truth.Length; i++)
        {
            Assert.Equal(c.Rps[i], ProperScores.RankedProbabilityScore(c.Probabilities[i], c.Truth[i]), 12);
            Assert.Equal(c.Log_Loss[i], ProperScores.LogLoss(c.Probabilities[i], c.Truth[i]), 12);
            Assert.Equal(c.Brier[i], ProperScores.BrierScore(c.Probabilities[i], c.Truth[i]), 12);
        }
        var mean = ProperScores.Mean(c.Probabilities, c.Truth);
        Assert.Equal(c.Truth.Length, mean.Samples);
        // The mean RPS from scikit-learn's binary Brier score summed over the C - 1 thresholds.
        Assert.Equal(c.Mean_Rps, mean.RankedProbabilityScore, 12);
        Assert.Equal(c.Mean_Rps_Numpy, mean.RankedProbabilityScore, 12);
        Assert.Equal(c.Mean_Log_Loss, mean.LogLoss, 12);
        Assert.Equal(c.Mean_Brier, mean.BrierScore, 12);
        if (c.Mean_Brier_Sklearn_Binary is double binary)
        {
            Assert.Equal(2 * binary, mean.BrierScore, 12);
        }
    }

    [Theory]
    [MemberData(nameof(SoftCases))]
    public void Scores_against_target_distributions_equal_scipy_and_numpy(int index)
    {
        var c = ScoresFile.Load().Soft[index];
        for (int i = 0; i < c.Targets.Length; i++)
        {
            Assert.Equal(c.Rps[i], ProperScores.RankedProbabilityScore(c.Probabilities[i], c.Targets[i]), 12);
            Assert.Equal(c.Log_Loss[i], ProperScores.LogLoss(c.Probabilities[i], c.Targets[i]), 12);
            Assert.Equal(c.Brier[i], ProperScores.BrierScore(c.Probabilities[i], c.Targets[i]), 12);
        }
        var mean = ProperScores.Mean(c.Probabilities, c.Targets);
        Assert.Equal(c.Mean_Rps, mean.RankedProbabilityScore, 12);
        Assert.Equal(c.Mean_Log_Loss, mean.LogLoss, 12);
        Assert.Equal(c.Mean_Brier, mean.BrierScore, 12);
    }

    [Fact]
    public void Each_score_equals_its_definition_computed_by_brute_force()
    {
        var random = new Random(5);
        for (int trial = 0; trial < 200; trial++)
        {
            int classes = 2 + random.Next(10);
            var p = RandomDistribution(random, classes);
            var t = RandomDistribution(random, classes);
            int y = random.Next(classes);
            var oneHot = new double[classes];
            oneHot[y] = 1;

            // RPS: for each threshold m, (sum of p_k over k <= m - [y <= m])^2, each cumulative summed afresh.
            double rps = 0, rpsSoft = 0;
            for (int m = 0; m < classes; m++)
            {
                double pm = 0, tm = 0;
                for (int k = 0; k <= m; k++)
                {
                    pm += p[k];
                    tm += t[k];
                }
                rps += (pm - (y <= m ? 1 : 0)) * (pm - (y <= m ? 1 : 0));
                rpsSoft += (pm - tm) * (pm - tm);
            }
            Assert.Equal(rps, ProperScores.RankedProbabilityScore(p, y), 12);
            Assert.Equal(rpsSoft, ProperScores.RankedProbabilityScore(p, t), 12);

            // Brier: 1 - 2 p_y + sum p_k^2 for a true class.
            Assert.Equal(1 - 2 * p[y] + p.Sum(v => v * v), ProperScores.BrierScore(p, y), 12);
            Assert.Equal(p.Zip(t, (a, b) => (a - b) * (a - b)).Sum(), ProperScores.BrierScore(p, t), 12);

            // Log loss: -log p_y; cross-entropy = entropy + Kullback-Leibler divergence.
            Assert.Equal(-Math.Log(p[y]), ProperScores.LogLoss(p, y), 12);
            double entropy = -t.Sum(v => v * Math.Log(v));
            double divergence = t.Zip(p, (a, b) => a * Math.Log(a / b)).Sum();
            Assert.Equal(entropy + divergence, ProperScores.LogLoss(p, t), 10);

            // A true class is the one-hot target.
            Assert.Equal(ProperScores.RankedProbabilityScore(p, y), ProperScores.RankedProbabilityScore(p, oneHot), 14);
            Assert.Equal(ProperScores.BrierScore(p, y), ProperScores.BrierScore(p, oneHot), 14);
            Assert.Equal(ProperScores.LogLoss(p, y), ProperScores.LogLoss(p, oneHot), 14);
        }
    }

    [Fact]
    public void The_three_scores_are_proper_and_the_mean_emd_is_not()
    {
        // Expected score under the true distribution q: reporting q beats reporting any other p.
        var random = new Random(11);
        for (int trial = 0; trial < 200; trial++)
        {
            int classes = 2 + random.Next(7);
            var q = RandomDistribution(random, classes);
            var p = RandomDistribution(random, classes);
            Assert.True(Expected((r, y) => ProperScores.RankedProbabilityScore(r, y), q, q) < Expected((r, y) => ProperScores.RankedProbabilityScore(r, y), p, q));
            Assert.True(Expected((r, y) => ProperScores.LogLoss(r, y), q, q) < Expected((r, y) => ProperScores.LogLoss(r, y), p, q));
            Assert.True(Expected((r, y) => ProperScores.BrierScore(r, y), q, q) < Expected((r, y) => ProperScores.BrierScore(r, y), p, q));
        }

        // The mean EMD to a one-hot truth, sum_k p_k |k - y|, is linear in p: a point mass on q's median beats q.
        double[] truth = [0.3, 0.4, 0.3];
        double[] median = [0, 1, 0];
        Assert.True(ExpectedEmd(median, truth) < ExpectedEmd(truth, truth));
    }

    [Fact]
    public void Extremes_and_the_floor()
    {
        Assert.Equal(0, ProperScores.RankedProbabilityScore([0, 0, 1, 0], 2));
        Assert.Equal(0, ProperScores.LogLoss([0, 0, 1, 0], 2));
        Assert.Equal(0, ProperScores.BrierScore([0, 0, 1, 0], 2));
        // Certain of the far end: RPS reaches C - 1, Brier 2, log loss -log(eps).
        Assert.Equal(3, ProperScores.RankedProbabilityScore([1, 0, 0, 0], 3));
        Assert.Equal(2, ProperScores.BrierScore([1, 0, 0, 0], 3));
        Assert.Equal(-Math.Log(ProperScores.LogLossEpsilon), ProperScores.LogLoss([1, 0, 0, 0], 3));
        Assert.Equal(36.04365338911715, ProperScores.LogLoss([1, 0, 0, 0], 3), 12);
        Assert.Equal(-Math.Log(1e-15), ProperScores.LogLoss([1, 0, 0, 0], 3, epsilon: 1e-15));
        // Soft: a zero target entry contributes nothing even where p is 0.
        Assert.Equal(-Math.Log(0.5), ProperScores.LogLoss([0.5, 0.5, 0], [0.5, 0.5, 0]), 14);
        // Soft: a zero prediction where the target has mass is floored at eps (or the given floor).
        Assert.Equal(-0.5 * Math.Log(ProperScores.LogLossEpsilon), ProperScores.LogLoss([1, 0], [0.5, 0.5]), 14);
        Assert.Equal(-0.5 * Math.Log(1e-15), ProperScores.LogLoss([1, 0], [0.5, 0.5], 1e-15), 14);
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        Assert.Equal("probabilities", Assert.Throws<ArgumentException>(() => ProperScores.RankedProbabilityScore([0.5, 0.6], 0)).ParamName);
        Assert.Equal("probabilities", Assert.Throws<ArgumentException>(() => ProperScores.BrierScore([double.NaN, 1], 0)).ParamName);
        Assert.Equal("probabilities", Assert.Throws<ArgumentException>(() => ProperScores.LogLoss([1.5, -0.5], 0)).ParamName);
        Assert.Equal("probabilities", Assert.Throws<ArgumentException>(() => ProperScores.LogLoss([1.0], 0)).ParamName);
        Assert.Equal("label", Assert.Throws<ArgumentException>(() => ProperScores.RankedProbabilityScore([0.5, 0.5], 2)).ParamName);
        Assert.Equal("label", Assert.Throws<ArgumentException>(() => ProperScores.BrierScore([0.5, 0.5], -1)).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentException>(() => ProperScores.BrierScore([0.5, 0.5], [1.0, 0, 0])).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentException>(() => ProperScores.RankedProbabilityScore([0.5, 0.5], [0.7, 0.7])).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentException>(() => ProperScores.LogLoss([0.5, 0.5], 0, 0)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentException>(() => ProperScores.LogLoss([0.5, 0.5], [0.5, 0.5], double.NaN)).ParamName);

        Assert.Equal("truth", Assert.Throws<ArgumentException>(() => ProperScores.Mean([], Array.Empty<int>())).ParamName);
        Assert.Equal("truth", Assert.Throws<ArgumentException>(() => ProperScores.Mean([[0.5, 0.5]], [0, 1])).ParamName);
        Assert.Equal("truth", Assert.Throws<ArgumentException>(() => ProperScores.Mean([[0.5, 0.5]], [2])).ParamName);
        Assert.Equal("probabilities", Assert.Throws<ArgumentException>(() => ProperScores.Mean([[0.5, 0.5], [0.2, 0.3, 0.5]], [0, 1])).ParamName);
        var row = Assert.Throws<ArgumentException>(() => ProperScores.Mean([[0.5, 0.5], [0.2, 0.3]], [0, 1]));
        Assert.Equal("probabilities", row.ParamName);
        Assert.StartsWith("row 1:", row.Message, StringComparison.Ordinal);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => ProperScores.Mean([[0.5, 0.5]], [[0.5, 0.6]])).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => ProperScores.Mean([[0.5, 0.5]], [[1.0, 0, 0]])).ParamName);
    }

    private static double[] RandomDistribution(Random random, int classes)
    {
        var p = Enumerable.Range(0, classes).Select(_ => 0.01 + random.NextDouble()).ToArray();
        double total = p.Sum();
        return p.Select(v => v / total).ToArray();
    }

    private static double Expected(Func<double[], int, double> score, double[] reported, double[] truth) =>
        Enumerable.Range(0, truth.Length).Sum(y => truth[y] * score(reported, y));

    private static double ExpectedEmd(double[] reported, double[] truth) =>
        Enumerable.Range(0, truth.Length).Sum(y => truth[y] * OrdinalMetrics.Compute([y], [y], truth.Length, [reported]).MeanEmd);
}
