using System.Text.RegularExpressions;
using EarthMover.Tests.Support;

namespace EarthMover.Tests.Cli;

/// <summary>
/// The committed evidence is what its raw results say: docs/results.md is regenerated from docs/evidence/raw.csv
/// (no training) and must equal the committed page, and every number quoted in the hand-written analysis
/// (docs/analysis.md) and in the README's Results section must be one the generated page prints.
/// </summary>
[Collection(nameof(CliTests))]
public partial class EvidencePageTests
{
    private static readonly string Suite = RepositoryRoot.Of("docs", "evidence", "suite.json");
    private static readonly string Raw = RepositoryRoot.Of("docs", "evidence", "raw.csv");
    private static readonly string Page = RepositoryRoot.Of("docs", "results.md");

    [Fact]
    public void The_committed_results_page_is_the_one_its_raw_results_give()
    {
        string folder = CliRunner.TempFolder();
        string page = Path.Combine(folder, "results.md");
        var (exit, _, error) = CliRunner.Run("report", "--suite", Suite, "--raw", Raw, "-o", page);
        Assert.True(exit == 0, error);
        Assert.Equal(File.ReadAllText(Page).ReplaceLineEndings("\n"), File.ReadAllText(page));
        foreach (var figure in ForestPlots().Matches(File.ReadAllText(page)).Select(m => m.Groups["file"].Value))
        {
            Assert.True(File.Exists(Path.Combine(folder, figure)), $"{figure} was not regenerated");
            Assert.True(File.Exists(RepositoryRoot.Of("docs", figure)), $"{figure} is not committed");
        }
    }

    [Fact]
    public void Every_number_in_the_analysis_and_the_readme_results_is_on_the_generated_page()
    {
        string page = Normalise(File.ReadAllText(Page));
        var sources = new Dictionary<string, string>
        {
            ["docs/analysis.md"] = File.ReadAllText(RepositoryRoot.Of("docs", "analysis.md")),
            ["README.md, ## Results"] = ReadmeResults(),
        };
        var missing = new List<string>();
        int checkedNumbers = 0;
        foreach (var (name, text) in sources)
        {
            foreach (Match m in Quoted().Matches(Normalise(text)))
            {
                checkedNumbers++;
                if (!page.Contains(m.Value, StringComparison.Ordinal))
                {
                    missing.Add($"{name}: '{m.Value}'");
                }
            }
        }
        Assert.True(missing.Count == 0, "not on docs/results.md: " + string.Join("; ", missing));
        Assert.True(checkedNumbers >= 20, $"only {checkedNumbers} numbers checked");
    }

    [Fact]
    public void The_number_check_catches_a_number_the_page_does_not_print()
    {
        string page = Normalise(File.ReadAllText(Page));
        var first = Quoted().Match(Normalise(File.ReadAllText(RepositoryRoot.Of("docs", "analysis.md"))));
        Assert.True(first.Success);
        // The same number with its last digit changed is not on the page (else the check above proves nothing).
        string changed = first.Value[..^1] + (first.Value[^1] == '9' ? '8' : (char)(first.Value[^1] + 1));
        Assert.DoesNotContain(changed, Quoted().Matches(page).Select(m => m.Value));
    }

    // The README's "## Results" section, up to the next second-level heading.
    private static string ReadmeResults()
    {
        string readme = File.ReadAllText(RepositoryRoot.Of("README.md"));
        int start = readme.IndexOf("\n## Results", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no ## Results section");
        int end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? readme[start..] : readme[start..end];
    }

    // A typed "-" and the page's "−" are the same minus sign.
    private static string Normalise(string text) => text.Replace('−', '-');

    // Decimal numbers (0.0123, -0.0123, +0.0123; not versions inside names such as net10.0) and counts of the form
    // "5 of 156" or "3 better / 0 worse of 13".
    [GeneratedRegex(@"(?<![\w.])[+-]?\d+\.\d+(?![\w.])|\d+ better / \d+ worse of \d+|\d+ of (the )?\d+")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\]\((?<file>results/[^)]+\.png)\)")]
    private static partial Regex ForestPlots();
}
