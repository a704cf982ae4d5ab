using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace EarthMover.Tests;

/// <summary>
/// The repository's documents stand on their own: every file they name exists in the repository (markdown links
/// with their anchors, repository paths in text, comments and XML docs, and docs/math.md sections), and none names
/// a team document or folder that is not shipped.
/// </summary>
public partial class ShippedDocumentTests(ITestOutputHelper output)
{
    private static readonly string Root = FindRoot();

    // Spelled in pieces so that this file does not match itself: the team's specification, platform notes and
    // dataset list, and its shared folder, none of which is in the repository.
    private static readonly Regex Unshipped = new(
        string.Join("|", [@"\b" + "SP" + @"EC\b", "PLAT" + @"FORM\.md", "SOUR" + @"CES\.md", @"\.\./" + "shared", "/work" + "/", "shared" + "/(docs|datasets)"]),
        RegexOptions.Compiled);

    /// <summary>Every text file a user receives or reads: markdown, code (comments and messages), build and CI files, and the package's XML docs.</summary>
    public static IEnumerable<string> ShippedFiles()
    {
        string[] folders = ["src", "tests", "benchmarks", "docs", "build", "reference", ".ci"];
        string[] extensions = [".md", ".cs", ".py", ".targets", ".props", ".csproj", ".json", ".slnx", ""];
        var files = new List<string>();
        foreach (var name in Directory.EnumerateFiles(Root))
        {
            if (Path.GetExtension(name) is ".md" or ".props" or ".targets" or ".slnx")
            {
                files.Add(name);
            }
        }
        foreach (var folder in folders)
        {
            var path = Path.Combine(Root, folder);
            if (!Directory.Exists(path))
            {
                continue;
            }
            files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(f => extensions.Contains(Path.GetExtension(f)) && !IsBuildOutput(f) && !Path.GetFileName(f).StartsWith('.'))
                .Where(f => Path.GetExtension(f) != "" || folder == ".ci"));
        }
        // The XML documentation that ships in the package, as the build generated it.
        var xml = Path.Combine(AppContext.BaseDirectory, "EarthMover.xml");
        if (File.Exists(xml))
        {
            files.Add(xml);
        }
        return files;
    }

    [Fact]
    public void No_document_names_a_team_file_that_is_not_in_the_repository()
    {
        var offences = new List<string>();
        foreach (var file in ShippedFiles())
        {
            var lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                if (Unshipped.Match(lines[i]) is { Success: true } m)
                {
                    offences.Add($"{Relative(file)}:{i + 1}: '{m.Value}'");
                }
            }
        }
        Assert.True(offences.Count == 0, "names outside the repository:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void Every_repository_path_a_document_names_exists()
    {
        var offences = new List<string>();
        int checkedPaths = 0, checkedLinks = 0, checkedSections = 0;
        var mathSections = Sections(Path.Combine(Root, "docs", "math.md"));
        foreach (var file in ShippedFiles())
        {
            string text = File.ReadAllText(file);
            string directory = Path.GetDirectoryName(file)!;
            if (Path.GetExtension(file) == ".md")
            {
                foreach (Match link in MarkdownLink().Matches(text))
                {
                    string target = link.Groups["target"].Value;
                    if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                    {
                        continue;
                    }
                    checkedLinks++;
                    int hash = target.IndexOf('#', StringComparison.Ordinal);
                    string path = hash >= 0 ? target[..hash] : target;
                    string anchor = hash >= 0 ? target[(hash + 1)..] : "";
                    string resolved = path.Length == 0 ? file : Path.GetFullPath(Path.Combine(directory, Uri.UnescapeDataString(path)));
                    if (!File.Exists(resolved) && !Directory.Exists(resolved))
                    {
                        offences.Add($"{Relative(file)}: link to {target}: no such file");
                    }
                    else if (anchor.Length > 0 && resolved.EndsWith(".md", StringComparison.Ordinal) && !Anchors(resolved).Contains(anchor))
                    {
                        offences.Add($"{Relative(file)}: link to {target}: no such heading");
                    }
                }
            }
            foreach (Match mention in RepositoryPath().Matches(text))
            {
                string path = mention.Value.TrimEnd('.', ',', ';', ':', ')', '`', '\'', '"');
                if (path.Contains('*', StringComparison.Ordinal) || path.Contains('<', StringComparison.Ordinal) || path.EndsWith('/'))
                {
                    continue;
                }
                checkedPaths++;
                if (!File.Exists(Path.Combine(Root, path)) && !Directory.Exists(Path.Combine(Root, path)))
                {
                    offences.Add($"{Relative(file)}: names {path}: no such file in the repository");
                }
            }
            bool isMath = file.EndsWith(Path.Combine("docs", "math.md"), StringComparison.Ordinal);
            foreach (Match section in (isMath ? SectionHere() : MathSection()).Matches(text))
            {
                foreach (Capture number in section.Groups["number"].Captures)
                {
                    checkedSections++;
                    if (!mathSections.Contains(int.Parse(number.Value, System.Globalization.CultureInfo.InvariantCulture)))
                    {
                        offences.Add($"{Relative(file)}: cites docs/math.md §{number.Value}, which does not exist");
                    }
                }
            }
        }
        output.WriteLine($"{checkedLinks} markdown links, {checkedPaths} repository paths and {checkedSections} docs/math.md sections checked in {ShippedFiles().Count()} files.");
        Assert.True(checkedPaths > 10 && checkedLinks > 10 && checkedSections > 10, "the scan found too little to be checking anything");
        Assert.True(offences.Count == 0, string.Join("\n", offences));
    }

    [Fact]
    public void The_package_documentation_was_scanned()
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "EarthMover.xml")), "EarthMover.xml is not beside the tests; the XML docs were not checked");
    }

    private static bool IsBuildOutput(string path)
    {
        var parts = Path.GetRelativePath(Root, path).Split(Path.DirectorySeparatorChar);
        return parts.Contains("bin") || parts.Contains("obj") || parts.Contains("BenchmarkDotNet.Artifacts");
    }

    private static string Relative(string path) => path.StartsWith(Root, StringComparison.Ordinal) ? Path.GetRelativePath(Root, path) : Path.GetFileName(path);

    private static HashSet<int> Sections(string markdown) =>
        [.. File.ReadLines(markdown).Select(l => NumberedHeading().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];

    // GitHub's anchors: the heading in lower case, without punctuation other than '-' and '_', spaces as '-'.
    private static HashSet<string> Anchors(string markdown) =>
        [.. File.ReadLines(markdown).Where(l => l.StartsWith('#')).Select(l => AnchorDrop().Replace(l.TrimStart('#').Trim().ToLowerInvariant(), "").Replace(' ', '-'))];

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EarthMover.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("the repository root (EarthMover.slnx) is not above the test binaries");
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    // A path from the repository root: a top-level folder followed by at least one more component.
    [GeneratedRegex(@"(?<![\w./-])(?:src|tests|benchmarks|docs|build|reference|\.ci)/[\w./-]*[\w]")]
    private static partial Regex RepositoryPath();

    // "docs/math.md §5", "math.md §2–§4, §7", and "docs/math.md section 5".
    [GeneratedRegex(@"math\.md\s+(?:§(?<number>\d+)(?:\s*[–,-]\s*§?(?<number>\d+))*|section\s+(?<number>\d+))")]
    private static partial Regex MathSection();

    [GeneratedRegex(@"§(?<number>\d+)")]
    private static partial Regex SectionHere();

    [GeneratedRegex(@"^##\s+(\d+)\.\s")]
    private static partial Regex NumberedHeading();

    [GeneratedRegex(@"[^\w\- ]")]
    private static partial Regex AnchorDrop();
}
