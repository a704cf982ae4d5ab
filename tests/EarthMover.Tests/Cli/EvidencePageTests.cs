using System.Text.RegularExpressions;
using EarthMover.Tests.Support;

namespace EarthMover.Tests.Cli;

/// <summary>
/// The committed evidence is what its raw results say: docs/results.md is regenerated from docs/evidence/raw.csv
/// (no training) and must equal the committed page; and every number quoted in the hand-written analysis
/// (docs/analysis.md) and in the README's decision guide and Results section is bound to the place on the generated
/// page it comes from, a table cell or a section's prose, so that a sentence whose number the page no longer prints
/// there fails.
/// </summary>
/// <remarks>
/// The binding: every paragraph (text between blank lines) that quotes numbers ends with an HTML comment
/// <c>&lt;!-- cells: ... --&gt;</c> holding one line per quoted number, in the order they appear:
/// <c>section | row key ... | column</c> names a table cell of results.md (the section by its "## " heading or the
/// start of it; the row by its first cells; the column by its header), <c>section | text</c> the section's prose.
/// Quoted numbers are decimals (0.0123, −0.0123), seed splits (12–1) and counts ("4 of 159", "3 better / 0 worse of 13").
/// </remarks>
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
    public void Every_number_in_the_analysis_and_the_readme_is_bound_to_the_cell_it_comes_from()
    {
        var page = ResultsPage.Parse(File.ReadAllText(Page));
        var problems = new List<string>();
        int bound = 0;
        foreach (var (name, text) in Sources())
        {
            bound += Check(name, text, page, problems);
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(bound >= 40, $"only {bound} numbers bound");
    }

    [Fact]
    public void The_binding_catches_a_stale_number_a_wrong_cell_and_an_unbound_number()
    {
        var page = ResultsPage.Parse(File.ReadAllText(Page));
        string analysis = File.ReadAllText(RepositoryRoot.Of("docs", "analysis.md"));
        var none = new List<string>();
        Assert.True(Check("analysis", analysis, page, none) > 0);
        Assert.Empty(none);
        var first = Quoted().Match(Normalise(StripComments(analysis)));
        Assert.True(first.Success);

        // The first quoted number with its last digit changed: a stale sentence.
        string value = first.Value;
        string changed = value[..^1] + (value[^1] == '9' ? '8' : (char)(value[^1] + 1));
        int at = Normalise(analysis).IndexOf(value, StringComparison.Ordinal);
        var stale = new List<string>();
        Check("analysis", analysis[..at] + changed + analysis[(at + value.Length)..], page, stale);
        Assert.NotEmpty(stale);

        // A number added to a paragraph without its binding.
        var unbound = new List<string>();
        Check("analysis", analysis.Replace("\n\n## ", " (0.1234)\n\n## ", StringComparison.Ordinal), page, unbound);
        Assert.NotEmpty(unbound);

        // Bindings swapped within a paragraph point at the wrong cells.
        var swapped = new List<string>();
        var block = Bindings().Matches(analysis).First(m => m.Groups["lines"].Value.Trim().Split('\n').Select(l => l.Trim()).Distinct().Count() >= 2);
        var lines = block.Groups["lines"].Value.Trim().Split('\n');
        int other = Array.FindIndex(lines, l => l.Trim() != lines[0].Trim());
        (lines[0], lines[other]) = (lines[other], lines[0]);
        Check("analysis", analysis.Replace(block.Groups["lines"].Value, "\n" + string.Join("\n", lines) + "\n", StringComparison.Ordinal), page, swapped);
        Assert.NotEmpty(swapped);
    }

    [Fact]
    public void The_pooled_tau_of_the_page_is_the_one_scipy_finds_in_power_inputs()
    {
        // docs/evidence/power-inputs.md is written by a Python script (SciPy's brentq on Paule and Mandel's equation)
        // from the same raw.csv: its observed τ per loss and metric must be the page's, to the printed 4 decimals.
        var page = ResultsPage.Parse(File.ReadAllText(Page));
        var power = File.ReadAllLines(RepositoryRoot.Of("docs", "evidence", "power-inputs.md"));
        int start = Array.FindIndex(power, l => l.StartsWith("| loss | metric | median MDE", StringComparison.Ordinal));
        Assert.True(start >= 0, "power-inputs.md has no summary table");
        int compared = 0;
        foreach (var line in power.Skip(start + 2).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            string? tau = page.Resolve($"The answer across datasets | {cells[0]} | {cells[1]} | τ", out string? error);
            Assert.True(tau is not null, error);
            Assert.Equal(cells[5], tau);
            compared++;
        }
        Assert.Equal(12, compared);
    }

    // The hand-written texts whose numbers must be bound.
    private static IEnumerable<(string Name, string Text)> Sources()
    {
        yield return ("docs/analysis.md", File.ReadAllText(RepositoryRoot.Of("docs", "analysis.md")));
        string readme = File.ReadAllText(RepositoryRoot.Of("README.md"));
        foreach (var heading in new[] { "\n## Which objective", "\n## Results" })
        {
            int start = readme.IndexOf(heading, StringComparison.Ordinal);
            Assert.True(start >= 0, $"README.md has no section{heading}");
            int end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
            yield return ($"README.md,{heading.Trim()}", end < 0 ? readme[start..] : readme[start..end]);
        }
    }

    // Checks every paragraph of a text; returns how many numbers were bound, adding each problem to the list.
    private static int Check(string name, string text, ResultsPage page, List<string> problems)
    {
        int bound = 0;
        foreach (var paragraph in Regex.Split(text.ReplaceLineEndings("\n"), @"\n\s*\n"))
        {
            if (paragraph.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }
            var numbers = Quoted().Matches(Normalise(StripComments(paragraph))).Select(m => m.Value).ToArray();
            var bindings = Bindings().Matches(paragraph).SelectMany(m => m.Groups["lines"].Value.Split('\n')).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
            string where = $"{name}: \"{Excerpt(paragraph)}\"";
            if (numbers.Length != bindings.Length)
            {
                problems.Add($"{where}: {numbers.Length} quoted numbers ({string.Join(", ", numbers)}) but {bindings.Length} bindings");
                continue;
            }
            for (int i = 0; i < numbers.Length; i++)
            {
                string? source = page.Resolve(bindings[i], out string? error);
                if (source is null)
                {
                    problems.Add($"{where}: binding '{bindings[i]}': {error}");
                }
                else if (!Quoted().Matches(Normalise(source)).Any(m => m.Value == numbers[i]))
                {
                    problems.Add($"{where}: '{numbers[i]}' is not in {bindings[i]} (which reads '{Excerpt(source)}')");
                }
                bound++;
            }
        }
        return bound;
    }

    private static string Excerpt(string text)
    {
        string flat = Regex.Replace(StripComments(text), @"\s+", " ").Trim();
        return flat.Length <= 90 ? flat : flat[..90] + "…";
    }

    private static string StripComments(string text) => Regex.Replace(text, "<!--.*?-->", "", RegexOptions.Singleline);

    // A typed "-" and the page's "−" are the same minus sign.
    private static string Normalise(string text) => text.Replace('−', '-');

    // Decimal numbers (0.0123, -0.0123, +0.0123; not versions inside names such as net10.0), seed splits (12–1) and
    // counts of the form "5 of 156" or "3 better / 0 worse of 13".
    [GeneratedRegex(@"(?<![\w.])[+-]?\d+\.\d+(?!\w|\.\d)|(?<![\w.–])\d+–\d+(?![\w.–])|\d+ better / \d+ worse of \d+|\d+ of (the )?\d+")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"<!--\s*cells:(?<lines>.*?)-->", RegexOptions.Singleline)]
    private static partial Regex Bindings();

    [GeneratedRegex(@"\]\((?<file>results/[^)]+\.png)\)")]
    private static partial Regex ForestPlots();

    /// <summary>results.md as sections ("## " headings), each with its prose and its tables.</summary>
    private sealed class ResultsPage
    {
        private readonly List<(string Heading, string Prose, List<(string[] Header, List<string[]> Rows)> Tables)> _sections = [];

        public static ResultsPage Parse(string markdown)
        {
            var page = new ResultsPage();
            foreach (var part in ("\n" + markdown.ReplaceLineEndings("\n")).Split("\n## ").Skip(1))
            {
                var lines = part.Split('\n');
                var prose = new List<string>();
                var tables = new List<(string[] Header, List<string[]> Rows)>();
                for (int i = 1; i < lines.Length; i++)
                {
                    if (lines[i].StartsWith('|') && i + 1 < lines.Length && lines[i + 1].StartsWith("|---", StringComparison.Ordinal))
                    {
                        var header = Cells(lines[i]);
                        var rows = new List<string[]>();
                        for (i += 2; i < lines.Length && lines[i].StartsWith('|'); i++)
                        {
                            rows.Add(Cells(lines[i]));
                        }
                        tables.Add((header, rows));
                        i--;
                    }
                    else
                    {
                        prose.Add(lines[i]);
                    }
                }
                page._sections.Add((lines[0].Trim(), string.Join("\n", prose), tables));
            }
            return page;
        }

        // "section | key ... | column" → the cell; "section | text" → the section's prose; null with an error otherwise.
        public string? Resolve(string binding, out string? error)
        {
            error = null;
            var parts = binding.Split(" | ").Select(p => p.Trim()).ToArray();
            if (parts.Length < 2)
            {
                error = "write 'section | row key ... | column' or 'section | text'";
                return null;
            }
            var sections = _sections.Where(s => s.Heading == parts[0]).ToArray();
            if (sections.Length == 0)
            {
                sections = _sections.Where(s => s.Heading.StartsWith(parts[0], StringComparison.Ordinal)).ToArray();
            }
            if (sections.Length != 1)
            {
                error = $"{sections.Length} sections of results.md are headed '{parts[0]}'";
                return null;
            }
            var section = sections[0];
            if (parts.Length == 2 && parts[1] == "text")
            {
                return section.Prose;
            }
            var key = parts[1..^1];
            string column = parts[^1];
            foreach (var (header, rows) in section.Tables)
            {
                int c = Array.IndexOf(header, column);
                var row = rows.FirstOrDefault(r => r.Length >= key.Length && r.Take(key.Length).SequenceEqual(key));
                if (c >= 0 && row is not null)
                {
                    return row[c];
                }
            }
            error = $"no table of section '{section.Heading}' has a row '{string.Join(" | ", key)}' and a column '{column}'";
            return null;
        }

        private static string[] Cells(string line) => line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
    }
}
