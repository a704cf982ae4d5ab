namespace EarthMover.Tests.Cli;

/// <summary>The evidence suite at smoke scale (a few hundred rows, two epochs: a one-epoch warm-up and one more), so that the command keeps working.</summary>
[Collection(nameof(CliTests))]
public class SuiteSmokeTests
{
    [Fact]
    public void Suite_runs_every_dataset_and_writes_the_results_page()
    {
        string folder = CliRunner.TempFolder();
        string results = Path.Combine(folder, "docs", "results.md");
        // The 400-row samples committed with the tests stand in for the suite's datasets (docs/datasets.md).
        Environment.SetEnvironmentVariable("EARTHMOVER_DATA", Path.Combine(AppContext.BaseDirectory, "data"));
        try
        {
            var (exit, _, error) = CliRunner.Run("compare", "--suite", "ordinal", "--scale", "smoke", "--seeds", "1", "--results", results, "-o", Path.Combine(folder, "runs"), "-q");
            Assert.True(exit == 0, error);
        }
        finally
        {
            Environment.SetEnvironmentVariable("EARTHMOVER_DATA", null);
        }
        string page = File.ReadAllText(results);
        foreach (var title in new[] { "diamonds: cut", "diamonds: color", "diamonds: clarity", "hpc_data: class", "stackoverflow: CareerSatisfaction", "attrition: JobSatisfaction", "fair: rate_marriage", "Fashion-MNIST (orderless)", "Fashion-MNIST rotated (ordinal)" })
        {
            Assert.Contains($"## {title}", page, StringComparison.Ordinal);
        }
        Assert.Contains("Nearest classes under the distance learned by xemd1", page, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "docs", "results", "fashion-mnist-orderless-distance-xemd1.png")));
        Assert.True(page.Split("| regression |", StringSplitOptions.None).Length - 1 >= 9, "every dataset has a regression row");
    }
}
