using System.Globalization;
using System.Text;
using System.Text.Json;
using EarthMover.Training.Data;

namespace EarthMover.Tests.Cli;

/// <summary>Targets: numeric ones with decimals or many values, --bins and their stored edges, numeric --order, case hints.</summary>
[Collection(nameof(CliTests))]
public class TargetTests
{
    [Fact]
    public void A_decimal_target_is_refused_with_bins_or_order_offered()
    {
        string file = Scores();
        string error = TestTables.TrainFails("--data", file, "--target", "score");
        Assert.Contains("'score' has non-integer values (1.8 .. 9.2", error, StringComparison.Ordinal);
        Assert.Contains("--bins K", error, StringComparison.Ordinal);
        Assert.Contains("--order", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_integer_target_with_more_than_30_values_is_refused() =>
        Assert.Contains($"'age' has 45 distinct values (20 .. 64), more than the {TargetSchema.MaxNumericClasses} classes", TestTables.TrainFails("--data", Scores(), "--target", "age", "--ignore", "score"), StringComparison.Ordinal);

    [Fact]
    public void Quantile_bins_hold_equal_counts_and_width_bins_equal_widths()
    {
        var values = Enumerable.Range(1, 100).Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray();
        var lines = Enumerable.Range(2, 100).ToArray();
        var quantile = TargetSchema.Infer("y", values, lines, null, 4, "quantile", []);
        Assert.Equal([26.0, 51.0, 76.0], quantile.Edges!);
        Assert.Equal(["[1, 26)", "[26, 51)", "[51, 76)", "[76, 100]"], quantile.Classes);
        Assert.Equal([25, 25, 25, 25], values.GroupBy(v => quantile.ClassOf(v)).OrderBy(g => g.Key).Select(g => g.Count()));

        var width = TargetSchema.Infer("y", values.Select(v => (int.Parse(v, CultureInfo.InvariantCulture) - 1).ToString(CultureInfo.InvariantCulture)).ToArray(), lines, null, 4, "width", []);
        Assert.Equal([24.75, 49.5, 74.25], width.Edges!);
        // Outside the training range: the first or the last class.
        Assert.Equal(0, width.ClassOf("-5"));
        Assert.Equal(3, width.ClassOf("1000"));
        Assert.Null(width.ClassOf("many"));
    }

    [Fact]
    public void Ties_and_gaps_merge_bins_and_say_so()
    {
        var notes = new List<string>();
        var tied = TargetSchema.Infer("y", ["1", "1", "1", "1", "1", "1", "2", "3"], [2, 3, 4, 5, 6, 7, 8, 9], null, 4, "quantile", notes);
        Assert.Equal([2.0], tied.Edges!); // quantile edges 1, 1, 2: the tied 1s fill the first class
        Assert.Contains("--bins 4: 2 classes, since ties in 'y' share a quantile", notes.Single(), StringComparison.Ordinal);
        var gap = TargetSchema.Infer("y", ["0", "1", "9", "10"], [2, 3, 4, 5], null, 5, "width", []);
        Assert.Equal([2.0], gap.Edges!); // [0, 2) and [2, 10]: the empty intervals between 2 and 8 are gone
    }

    [Fact]
    public void Bins_are_stored_with_the_run_and_reused_by_evaluate_and_predict()
    {
        string file = Scores();
        string run = CliRunner.TempFolder();
        var (exit, _, error) = CliRunner.Run("train", "--data", file, "--target", "score", "--ignore", "age", "--bins", "4", "--epochs", "2", "-o", run, "-q");
        Assert.True(exit == 0, error);
        var target = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "schema.json"))).RootElement.GetProperty("Target");
        Assert.Equal("bins", target.GetProperty("Kind").GetString());
        Assert.Equal("quantile", target.GetProperty("Binning").GetString());
        var edges = target.GetProperty("Edges").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(3, edges.Length);

        // New rows with scores beyond the training range still get classes; the stored edges decide them.
        string later = TestTables.Write("later.csv", "x,g,score,age,comment\n0.5,a,0.5,30,new\n1.5,b,9.9,40,new\n-0.2,c,5.0,50,new\n");
        var evaluate = CliRunner.Run("evaluate", "--run", run, "--data", later);
        Assert.True(evaluate.Exit == 0, evaluate.Error);
        Assert.Contains("all rows (3)", TestTables.Plain(evaluate.Output), StringComparison.Ordinal);
        Assert.Contains("ignored 1 column the model does not read: comment", TestTables.Plain(evaluate.Output), StringComparison.Ordinal);
        var truth = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "evaluation.json"))).RootElement.GetProperty("metrics").GetProperty("confusion")
            .EnumerateArray().Select(r => r.EnumerateArray().Sum(c => c.GetInt64())).ToArray();
        var expected = new long[4];
        foreach (double score in new[] { 0.5, 9.9, 5.0 })
        {
            expected[edges.Count(e => score >= e)]++;
        }
        Assert.Equal(expected, truth);
    }

    [Fact]
    public void Numeric_order_values_compare_as_numbers()
    {
        string run = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run("train", "--data", CliRunner.DataFile("fair.csv"), "--target", "rate_marriage", "--order", "1.0,2.0,3.0,4.0,5.0", "--epochs", "1", "-o", run, "-q");
        Assert.True(exit == 0, error);
        Assert.Contains("classes 1.0 < 2.0 < 3.0 < 4.0 < 5.0", TestTables.Plain(output), StringComparison.Ordinal);
        Assert.Contains("--order names 1 and 1.0 more than once", TestTables.TrainFails("--data", CliRunner.DataFile("fair.csv"), "--target", "rate_marriage", "--order", "1,1.0,2,3,4,5"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_label_differing_from_order_only_by_case_gets_a_hint() =>
        Assert.Contains("the 'class' value 'VF' is not one of vf, F, M, L (it differs from 'vf' only by case; classes are case-sensitive)", TestTables.TrainFails("--data", TestTables.Hpc, "--target", "class", "--order", "vf,F,M,L"), StringComparison.Ordinal);

    [Theory]
    [InlineData("--bins", "1", "--bins 1: it must be between 2 and 100")]
    [InlineData("--bins", "101", "--bins 101: it must be between 2 and 100")]
    [InlineData("--bins", "x", "--bins: 'x' is not a whole number")]
    [InlineData("--binning", "kmeans", "--binning: 'kmeans' must be quantile or width")]
    [InlineData("--order", "a,b", "--bins and --order both say what the classes are")]
    public void Bad_bin_options_are_one_line_with_exit_2(string option, string value, string expected)
    {
        string[] bins = option == "--bins" ? [] : ["--bins", "3"];
        Assert.Contains(expected, TestTables.TrainFails(["--data", Scores(), "--target", "score", option, value, .. bins]), StringComparison.Ordinal);
    }

    [Fact]
    public void Binning_without_bins_and_bins_of_text_are_refused()
    {
        Assert.Contains("--binning says how --bins cuts the target; give --bins too", TestTables.TrainFails("--data", Scores(), "--target", "score", "--binning", "width"), StringComparison.Ordinal);
        Assert.Contains("--bins: 'class' is not numeric ('VF', line 2)", TestTables.TrainFails("--data", TestTables.Hpc, "--target", "class", "--bins", "3"), StringComparison.Ordinal);
    }

    // 300 rows: a feature x, a category g, a decimal score 1.8 .. 9.2 rising with x, and an integer age 20 .. 64.
    private static string Scores()
    {
        var random = new Random(3);
        var text = new StringBuilder("x,g,score,age\n");
        for (int i = 0; i < 300; i++)
        {
            double x = random.NextDouble() * 2 - 1;
            double score = Math.Clamp(Math.Round(5.5 + 3 * x + random.NextDouble() - 0.5, 1), 1.8, 9.2);
            text.Append(CultureInfo.InvariantCulture, $"{x:F4},{"abc"[i % 3]},{(i == 0 ? 1.8 : i == 1 ? 9.2 : score)},{20 + i % 45}\n");
        }
        return TestTables.Write("scores.csv", text.ToString());
    }
}
