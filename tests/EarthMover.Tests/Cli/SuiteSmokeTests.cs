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
        // The suite reads data/ in the current folder, as from the repository root; the test output's data/ holds
        // the 400-row samples and the Fashion-MNIST sample.
        var (exit, _, error) = InFolder(AppContext.BaseDirectory, () => CliRunner.Run("compare", "--suite", "ordinal", "--scale", "smoke", "--seeds", "1", "--results", results, "-o", Path.Combine(folder, "runs"), "-q"));
        Assert.True(exit == 0, error);
        string page = File.ReadAllText(results);
        foreach (var title in new[] { "diamonds: cut", "diamonds: color", "diamonds: clarity", "hpc_data: class", "stackoverflow: CareerSatisfaction", "attrition: JobSatisfaction", "fair: rate_marriage", "Fashion-MNIST (orderless)", "Fashion-MNIST rotated (ordinal)" })
        {
            Assert.Contains($"## {title}", page, StringComparison.Ordinal);
        }
        Assert.Contains("Nearest classes under the distance learned by xemd1", page, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "docs", "results", "fashion-mnist-orderless-distance-xemd1.png")));
        Assert.True(page.Split("| regression |", StringSplitOptions.None).Length - 1 >= 9, "every dataset has a regression row");
    }

    [Fact]
    public void Suite_outside_the_repository_root_says_where_it_looks_for_data_before_training()
    {
        string empty = CliRunner.TempFolder();
        Directory.CreateDirectory(empty);
        string results = Path.Combine(empty, "docs", "results.md");
        var (exit, _, error) = InFolder(empty, () => CliRunner.Run("compare", "--suite", "ordinal", "--scale", "smoke", "--seeds", "1", "--results", results, "-o", Path.Combine(empty, "runs"), "-q"));
        Assert.Equal(2, exit);
        Assert.Contains($"{Path.Combine("data", "hpc_data.csv")} is missing; run the suite from the repository root", error, StringComparison.Ordinal);
        Assert.False(File.Exists(results));
    }

    // The program's tests run one at a time (CliTests), and no other test reads relative paths.
    private static T InFolder<T>(string folder, Func<T> action)
    {
        string before = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(folder);
        try
        {
            return action();
        }
        finally
        {
            Directory.SetCurrentDirectory(before);
        }
    }
}
