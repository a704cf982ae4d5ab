using System.Globalization;
using System.Text;
using System.Text.Json;
using EarthMover.Training;
using EarthMover.Training.Data;

namespace EarthMover.Tests.Cli;

/// <summary>
/// Target distributions in the program: --target-columns (counts per class), --aggregate-by (a histogram of the
/// rows of an item), --soft-labels gaussian:SIGMA, the losses that train on them, and NIMA's metrics checked
/// against brute-force computations written here (and SciPy's values for the correlations).
/// </summary>
[Collection(nameof(CliTests))]
public class DistributionTargetTests
{
    [Theory]
    [InlineData(0, 9, 1.0)]
    [InlineData(4, 9, 1.0)]
    [InlineData(8, 9, 0.5)]
    [InlineData(2, 5, 3.0)]
    public void Gaussian_labels_sum_to_one_and_peak_at_the_class(int label, int classes, double sigma)
    {
        var t = SoftLabels.Gaussian(label, classes, sigma);
        Assert.Equal(1.0, t.Sum(), 12);
        Assert.Equal(label, Array.IndexOf(t, t.Max()));
        // Brute force: the unnormalised density at each class, divided by its sum.
        var density = Enumerable.Range(0, classes).Select(k => Math.Exp(-(k - label) * (k - label) / (2 * sigma * sigma))).ToArray();
        for (int k = 0; k < classes; k++)
        {
            Assert.Equal(density[k] / density.Sum(), t[k], 12);
        }
        // Symmetric around the class where both sides exist.
        if (label >= 1 && label + 1 < classes)
        {
            Assert.Equal(t[label - 1], t[label + 1], 12);
        }
    }

    [Theory]
    [InlineData("gaussian:1", 1.0)]
    [InlineData("gaussian:0.25", 0.25)]
    public void Soft_labels_parse(string text, double sigma) => Assert.Equal(sigma, SoftLabels.ParseGaussian(text));

    [Theory]
    [InlineData("gaussian:0")]
    [InlineData("gaussian:-1")]
    [InlineData("gaussian:x")]
    [InlineData("uniform:1")]
    [InlineData("gaussian:Infinity")]
    public void Bad_soft_labels_are_refused(string text) =>
        Assert.Contains("--soft-labels", Assert.Throws<EarthMover.Training.UserError>(() => SoftLabels.ParseGaussian(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void Nima_metrics_match_a_brute_force_computation()
    {
        var random = new Random(7);
        int n = 40, classes = 6;
        var predicted = Enumerable.Range(0, n).Select(_ => Normalised(Enumerable.Range(0, classes).Select(_ => random.NextDouble()).ToArray())).ToArray();
        var truth = Enumerable.Range(0, n).Select(_ => Normalised(Enumerable.Range(0, classes).Select(_ => (double)random.Next(0, 4)).Append(1).Take(classes).ToArray())).ToArray();
        double[] scores = [1, 2, 3, 5, 8, 13];
        var m = DistributionMetrics.Compute(predicted, truth, scores, 5.0);

        // Brute force: cumulative sums by explicit prefix sums, means, correlations by their textbook formulas.
        double Emd(double[] p, double[] t, double r) =>
            Math.Pow(Enumerable.Range(0, classes).Select(k => Math.Pow(Math.Abs(p.Take(k + 1).Sum() - t.Take(k + 1).Sum()), r)).Sum() / classes, 1 / r);
        var meanP = predicted.Select(p => p.Select((v, k) => v * scores[k]).Sum()).ToArray();
        var meanT = truth.Select(t => t.Select((v, k) => v * scores[k]).Sum()).ToArray();
        Assert.Equal(n, m.Samples);
        Assert.Equal(Enumerable.Range(0, n).Average(i => Emd(predicted[i], truth[i], 1)), m.MeanEmd1, 12);
        Assert.Equal(Enumerable.Range(0, n).Average(i => Emd(predicted[i], truth[i], 2)), m.MeanEmd2, 12);
        Assert.Equal(Enumerable.Range(0, n).Average(i => classes * Math.Pow(Emd(predicted[i], truth[i], 2), 2)), m.Rps, 12);
        Assert.Equal(Correlation(meanP, meanT), m.Lcc, 12);
        Assert.Equal(Correlation(CountRanks(meanP), CountRanks(meanT)), m.Srcc, 12);
        Assert.Equal(Enumerable.Range(0, n).Count(i => meanP[i] >= 5 == meanT[i] >= 5) / (double)n, m.Accuracy, 12);
        Assert.Equal(5.0, m.Threshold);
        Assert.Equal(7.0, DistributionMetrics.DefaultThreshold(scores));
    }

    [Fact]
    public void Spearman_with_ties_matches_scipy()
    {
        // scipy.stats.spearmanr and pearsonr (SciPy 1.10, Debian 12) on these values: 0.9256265453136692, 0.8734071252766564.
        double[] x = [1, 2, 2, 3, 5, 5, 5, 0.5];
        double[] y = [2, 1, 3, 3, 4, 6, 4, 0];
        Assert.Equal(0.9256265453136692, DistributionMetrics.Spearman(x, y), 12);
        Assert.Equal(0.8734071252766564, DistributionMetrics.Pearson(x, y), 12);
        Assert.Equal([3, 4.5, 4.5, 6, 2, 7.5, 9, 7.5, 1], DistributionMetrics.Ranks([2, 3, 3, 4, 1, 5, 6, 5, 0]));
    }

    [Fact]
    public void Count_columns_become_distributions_named_by_their_columns()
    {
        string file = Votes();
        var data = DataSource.Load(new DataOptions { Source = file, TargetColumns = ["low", "mid", "high"] });
        Assert.Equal(["low", "mid", "high"], data.ClassNames);
        Assert.Equal(60, data.Count);
        // Row i's counts are (i % 4, 1, i % 3): row 2 has 2, 1, 2.
        Assert.Equal([0.4, 0.2, 0.4], data.Targets![2]);
        Assert.Equal([0.0, 1.0, 0.0], data.Targets![0]);
        Assert.All(data.Targets, t => Assert.Equal(1.0, t.Sum(), 12));
        Assert.Equal(data.Targets.Select(t => Array.IndexOf(t, t.Max())), data.Labels);
        Assert.DoesNotContain("low", ((TabularDataset)data).Columns);
    }

    [Fact]
    public void A_row_whose_counts_sum_to_zero_is_refused_with_its_line()
    {
        var lines = File.ReadAllLines(Votes()).ToList();
        lines[7] = string.Join(',', lines[7].Split(',')[..2].Concat(["0", "0", "0"])); // the file's line 8
        string file = TestTables.Write("votes.csv", string.Join('\n', lines) + "\n");
        string output = CliRunner.TempFolder();
        string error = TestTables.TrainFails("--data", file, "--target-columns", "low,mid,high", "--loss", "emd", "-o", output);
        Assert.Contains("line 8", error, StringComparison.Ordinal);
        Assert.Contains("sum to 0", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Theory]
    [InlineData("gd-emd")]
    [InlineData("xemd1")]
    [InlineData("regression")]
    public void Losses_of_class_labels_are_refused_on_distribution_targets(string loss) =>
        Assert.Contains("target distributions", TestTables.TrainFails(["--data", Votes(), "--target-columns", "low,mid,high", "--loss", loss, .. loss == "xemd1" ? ["--distance", "prior"] : Array.Empty<string>()]), StringComparison.Ordinal);

    [Fact]
    public void Soft_labels_with_a_loss_of_class_labels_are_refused() =>
        Assert.Contains("--soft-labels", TestTables.TrainFails(["--data", TestTables.Hpc, "--target", "class", "--order", "VF,F,M,L", "--loss", "gd-emd", "--soft-labels", "gaussian:1"]), StringComparison.Ordinal);

    [Fact]
    public void Rows_sharing_a_key_become_one_item_with_the_histogram_of_their_classes()
    {
        var text = new StringBuilder("item,size,weight,rating\n");
        // item k has k % 3 + 2 raters; rater j gives (k + j) % 4; the second rater of item 1 types another size.
        for (int k = 0; k < 30; k++)
        {
            for (int j = 0; j < k % 3 + 2; j++)
            {
                string size = k == 1 && j == 1 ? "99" : (k * 1.5).ToString(CultureInfo.InvariantCulture);
                text.Append(CultureInfo.InvariantCulture, $"i{k},{size},{k % 5},{(k + j) % 4}\n");
            }
        }
        string file = TestTables.Write("ratings.csv", text.ToString());
        var data = (TabularDataset)DataSource.Load(new DataOptions { Source = file, Target = "rating", AggregateBy = "item" });
        Assert.Equal(30, data.Count);
        Assert.Equal(["size", "weight"], data.Columns);
        for (int k = 0; k < 30; k++)
        {
            int raters = k % 3 + 2;
            var expected = new double[4];
            for (int j = 0; j < raters; j++)
            {
                expected[(k + j) % 4] += 1.0 / raters;
            }
            Assert.Equal(expected, data.Targets![k]);
        }
        Assert.Contains(data.Notes, n => n.Contains("aggregated 90 rows by 'item' into 30 items", StringComparison.Ordinal) && n.Contains("1 item whose rows differ", StringComparison.Ordinal));
        // The first row's features: item 1's size is 1.5, not the second rater's 99.
        var encoder = data.Fit(Enumerable.Range(0, 30).ToArray());
        var one = data.Encode(encoder, [1]);
        var zero = data.Encode(encoder, [0]);
        var two = data.Encode(encoder, [2]);
        Assert.Equal(one[0] - zero[0], two[0] - one[0], 5);
    }

    [Theory]
    [InlineData("emd")]
    [InlineData("sinkhorn")]
    [InlineData("tree")]
    [InlineData("emd2")]
    [InlineData("ce")]
    public void Train_and_evaluate_report_nima_metrics_on_count_columns(string loss)
    {
        string run = CliRunner.TempFolder();
        string[] distance = loss == "tree" ? ["--distance", "prior"] : [];
        var (exit, output, error) = CliRunner.Run(["train", "--data", Votes(), "--target-columns", "low,mid,high", "--loss", loss, .. distance, "--epochs", "2", "-o", run]);
        Assert.True(exit == 0, error);
        Assert.Contains("EMD r=2", output, StringComparison.Ordinal);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")));
        var test = metrics.RootElement.GetProperty("test_distribution");
        Assert.Equal(1.0, test.GetProperty("threshold").GetDouble()); // the middle of 0, 1, 2
        Assert.InRange(test.GetProperty("mean_emd_r2").GetDouble(), 0, 1);
        Assert.Equal(["low", "mid", "high"], metrics.RootElement.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));

        (exit, _, error) = CliRunner.Run("evaluate", "--run", run, "--threshold", "0.5");
        Assert.True(exit == 0, error);
        using var evaluation = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "evaluation.json")));
        var evaluated = evaluation.RootElement.GetProperty("distribution_metrics");
        Assert.Equal(0.5, evaluated.GetProperty("threshold").GetDouble());
        // The same rows and model: the same EMDs as training's test metrics.
        Assert.Equal(test.GetProperty("mean_emd_r1").GetDouble(), evaluated.GetProperty("mean_emd_r1").GetDouble(), 5);
    }

    [Fact]
    public void Compare_reports_nima_metrics_per_loss()
    {
        string folder = CliRunner.TempFolder();
        var (exit, _, error) = CliRunner.Run("compare", "--data", Votes(), "--target-columns", "low,mid,high", "--losses", "emd2,sinkhorn", "--seeds", "1,2", "--epochs", "2", "-o", folder, "-q");
        Assert.True(exit == 0, error);
        string markdown = File.ReadAllText(Path.Combine(folder, "compare.md"));
        Assert.Contains("Against the target distributions", markdown, StringComparison.Ordinal);
        Assert.Contains("EMD r=2", markdown, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "compare.json")));
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(4, results.Length);
        Assert.All(results, r => Assert.InRange(r.GetProperty("distribution_metrics").GetProperty("mean_emd_r1").GetDouble(), 0, 1));
    }

    [Fact]
    public void A_comparison_run_with_nima_metrics_round_trips_through_json()
    {
        var metrics = new DistributionMetrics(9, 0.1, 0.2, 0.3, 0.4, 0.5, 1.0, 0.6);
        var run = new EarthMover.Cli.Commands.ComparisonRun(3, "emd", "seed 1", EarthMover.OrdinalMetrics.Compute([0, 1, 2], [0, 1, 1], 3), 1.5, 2, 2, null, null, metrics);
        var back = JsonSerializer.Deserialize<EarthMover.Cli.Commands.ComparisonRun>(JsonSerializer.Serialize(run, RunConfig.Json), RunConfig.Json)!;
        Assert.Equal(metrics, back.Distribution);
    }

    [Fact]
    public void Gaussian_soft_labels_train_and_are_described()
    {
        string run = TestTables.TrainHpc("--loss", "emd", "--soft-labels", "gaussian:1");
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")));
        Assert.Contains("soft labels gaussian:1", metrics.RootElement.GetProperty("loss").GetString(), StringComparison.Ordinal);
        Assert.True(!metrics.RootElement.TryGetProperty("test_distribution", out var none) || none.ValueKind == JsonValueKind.Null);
    }

    // 60 rows: two features and vote counts per class; row i's counts are (i % 4, 1, i % 3), every row has a vote.
    private static string Votes()
    {
        var text = new StringBuilder("x,y,low,mid,high\n");
        for (int i = 0; i < 60; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i * 0.1},{i % 7},{i % 4},1,{i % 3}\n");
        }
        return TestTables.Write("votes.csv", text.ToString());
    }

    private static double[] Normalised(double[] v) => v.Select(x => x / v.Sum()).ToArray();

    private static double Correlation(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        return x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my)) / Math.Sqrt(x.Sum(v => (v - mx) * (v - mx)) * y.Sum(v => (v - my) * (v - my)));
    }

    // Rank = the number of smaller values + (the number of equal values + 1) / 2: average ranks for ties, counted.
    private static double[] CountRanks(double[] v) => v.Select(a => v.Count(b => b < a) + (v.Count(b => b == a) + 1) / 2.0).ToArray();
}
