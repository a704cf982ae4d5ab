using System.CommandLine;
using EarthMover.Cli;
using EarthMover.Cli.Commands;

namespace EarthMover.Tests.Cli;

/// <summary>
/// Messages that point the right way: a bad value is one line on stderr, exit 2, no stack trace, naming the
/// option and the real problem (too large, not finite, a decimal comma, an unclosed quote on the line it opens,
/// a folder of tables), never a neighbouring one ("not a whole number" for 99999999999, "must be positive" for
/// Infinity, an IDX folder for a folder of CSV files). Every numeric option of every command is fed each bad
/// value, enumerated from the parser so that a new option is covered.
/// </summary>
[Collection(nameof(CliTests))]
public class WrongWayMessageTests
{
    /// <summary>What each command needs besides the option under test, so that the option's error is the one reported.</summary>
    private static readonly Dictionary<string, string[]> Required = new()
    {
        ["evaluate"] = ["--run", "nosuch"],
        ["predict"] = ["--run", "nosuch", "--data", "nosuch.csv"],
        ["report"] = ["--suite", "nosuch.json", "--raw", "nosuch.csv", "-o", "nosuch.md"],
    };

    /// <summary>Bad values by kind of option, each with the problem its message must name and what it must not say instead.</summary>
    private static readonly (Type Kind, string Value, string Problem, string Wrong)[] BadValues =
    [
        (typeof(int), "99999999999", "too large", "not a whole number"),
        (typeof(int), "-99999999999", "too small", "not a whole number"),
        (typeof(int), "2.5", "not a whole number", "too large"),
        (typeof(double), "Infinity", "not a finite number", "positive"),
        (typeof(double), "-Infinity", "not a finite number", ">= 0"),
        (typeof(double), "NaN", "not a finite number", "fraction"),
        (typeof(double), "1e999", "not a finite number", "positive"),
        (typeof(double), "1,5", "write decimals with a point (1.5)", "must be"),
    ];

    public static IEnumerable<object[]> NumericCases()
    {
        var root = CliApp.Build(new CommandOptions(), TextWriter.Null);
        var commands = root.Subcommands.Select(c => (Name: c.Name, Options: c.Options.AsEnumerable())).Append(("", root.Options));
        foreach (var (name, options) in commands)
        {
            foreach (var option in options)
            {
                var kind = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
                foreach (var bad in BadValues.Where(b => b.Kind == kind))
                {
                    yield return [name, option.Name, bad.Value, bad.Problem, bad.Wrong];
                }
            }
        }
    }

    [Fact]
    public void The_numeric_cases_cover_whole_numbers_and_numbers_of_every_command()
    {
        var cases = NumericCases().Select(c => $"{c[0]} {c[1]}").Distinct().ToArray();
        Assert.Contains("train --epochs", cases);
        Assert.Contains("train --lr", cases);
        Assert.Contains("compare --folds", cases);
        Assert.Contains("evaluate --threshold", cases);
        Assert.Contains(" --threads", cases);
    }

    [Theory]
    [MemberData(nameof(NumericCases))]
    public void A_bad_number_names_the_option_and_the_real_problem(string command, string option, string value, string problem, string wrong)
    {
        string[] args = command.Length == 0 ? [option, value, "train"] : [command, .. Required.GetValueOrDefault(command, []), option, value];
        string error = OneLine(args);
        Assert.Contains(option, error, StringComparison.Ordinal);
        Assert.Contains(problem, error, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--seeds", "99999999999", "too large")]
    [InlineData("--seeds", "1,-3", "negative")]
    [InlineData("--positions", "0,Infinity,2,3", "not a finite number")]
    [InlineData("--soft-labels", "gaussian:Infinity", "finite number > 0")]
    [InlineData("--losses", "ce,cdw-ce:alpha=-2", "cdw-ce: alpha -2: it must be > 0")]
    [InlineData("--losses", "ce,cdw-ce:alpha=Infinity", "alpha 'Infinity' is not a finite number")]
    [InlineData("--losses", "ce,sord:alpha=1e999", "alpha '1e999' is not a finite number")]
    [InlineData("--losses", "ce,slace:alpha=x", "alpha 'x' is not a number")]
    [InlineData("--losses", "ce,mce-qwk:c=-0.5", "c -0.5: it must be in [0, 1]")]
    [InlineData("--losses", "ce,corral", "'corral' is not a loss; did you mean coral?")]
    public void A_bad_value_in_a_list_names_the_real_problem(string option, string value, string problem)
    {
        string error = OneLine("compare", "--data", TestTables.Hpc, "--target", "class", "--order", "VF,F,M,L", option, value, "-o", CliRunner.TempFolder());
        Assert.Contains(option, error, StringComparison.Ordinal);
        Assert.Contains(problem, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_job_index_too_large_says_so() =>
        Assert.Contains("--job 99999999999 is too large", OneLine("compare", "--run-folder", CliRunner.TempFolder(), "--job", "99999999999"), StringComparison.Ordinal);

    [Theory]
    [InlineData("x,y\n1,a\n2,\"b\n3,a\n4,b\n", 3)]
    [InlineData("x,y\n1,a\n2,b\n3,\"a\n4,b\n5,a\n6,b", 4)]
    [InlineData("x,y\r\n1,a\r\n\"2,b\r\n3,a\r\n", 3)]
    public void An_unclosed_quote_is_reported_on_the_line_that_opens_it(string text, int line)
    {
        string error = OneLine(["train", "--data", TestTables.Write("quote.csv", text), "--target", "y", "--order", "a,b", "--epochs", "1", "-o", CliRunner.TempFolder(), "-q"]);
        Assert.Contains($"line {line}: a quote (\") opened on this line is never closed", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_closed_quoted_value_over_two_lines_is_read()
    {
        var lines = File.ReadAllLines(TestTables.Hpc).ToList();
        int protocol = Array.IndexOf(lines[0].Split(',').Select(c => c.Trim('"')).ToArray(), "protocol");
        var cells = lines[1].Split(',');
        cells[protocol] = "\"" + cells[protocol].Trim('"') + "\nsecond line\"";
        lines[1] = string.Join(',', cells);
        string file = TestTables.Write("quoted.csv", string.Join('\n', lines) + "\n");
        var (exit, _, error) = CliRunner.Run([.. TestTables.HpcTrain.Select(a => a == TestTables.Hpc ? file : a), "-o", CliRunner.TempFolder()]);
        Assert.True(exit == 0, error);
    }

    [Fact]
    public void A_folder_of_csv_files_is_called_a_folder_of_tables_not_an_idx_folder()
    {
        string folder = CliRunner.TempFolder();
        Directory.CreateDirectory(folder);
        File.Copy(TestTables.Hpc, Path.Combine(folder, "hpc_data.csv"));
        string error = OneLine("train", "--data", folder, "--target", "class", "-o", CliRunner.TempFolder());
        Assert.Contains("is a folder of 1 table file (hpc_data.csv); --data takes one CSV file", error, StringComparison.Ordinal);
        Assert.DoesNotContain("IDX)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_with_line_breaks_in_a_message_stays_on_one_line()
    {
        Assert.Equal("a 'b\\nc' d", CliApp.OneLine("a 'b\nc' d\n"));
        Assert.Equal("a\\nb", CliApp.OneLine("a\r\nb"));
    }

    // Runs a command line that must fail as bad input; returns its one line on stderr.
    private static string OneLine(params string[] args)
    {
        var (exit, output, error) = CliRunner.Run(args);
        Assert.True(exit == 2, $"{string.Join(' ', args)}: exit {exit}: {error}");
        Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("earthmover: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Equal("", output);
        return error;
    }
}
