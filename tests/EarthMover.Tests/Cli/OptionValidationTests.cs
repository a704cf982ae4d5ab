using System.CommandLine;
using EarthMover.Cli;
using EarthMover.Cli.Commands;
using EarthMover.Tests.Support;

namespace EarthMover.Tests.Cli;

/// <summary>
/// Every option of every command, given an invalid value, is refused before anything is created: one line on
/// stderr naming the option, exit code 2, nothing on stdout, no folder. The options are enumerated from the
/// parser itself, so that an option added without a case here fails <see cref="Every_option_of_every_command_has_an_invalid_value_case"/>.
/// </summary>
[Collection(nameof(CliTests))]
public class OptionValidationTests : IClassFixture<OptionValidationTests.TrainedRun>
{
    /// <summary>Options that take no value, so no value of theirs can be invalid ("command option").</summary>
    private static readonly string[] Flags = ["train --root", "train --quiet", "compare --root", "compare --quiet", "export --force"];

    // Placeholders in the cases: {out} a folder that does not exist yet; {file} an existing plain file;
    // {foreign} a non-empty folder that earthmover did not write; {run} a trained run; {data} a small CSV;
    // {dir} the test's scratch folder, which must hold nothing new afterwards.
    // Every case runs on this data into {out}, unless it gives the option itself.
    private static readonly (string Option, string Value)[] Base = [("--data", "{data}"), ("--target", "class"), ("--order", "VF,F,M,L"), ("-o", "{out}")];

    /// <summary>The options that train and compare share (data, loss and training), each with an invalid value and the text its error must contain.</summary>
    private static readonly Dictionary<string, (string[] Args, string Expected)> Shared = new()
    {
        ["--data"] = (["--data", "/nonexistent/data.csv"], "--data"),
        ["--target"] = (["--target", "clas"], "--target"),
        ["--target-columns"] = (["--target-columns", "VF,F"], "--target-columns"),
        ["--aggregate-by"] = (["--aggregate-by", "nosuch"], "--aggregate-by"),
        ["--order"] = (["--order", "VF,F,F,M,L"], "--order"),
        ["--ignore"] = (["--ignore", "protocol,nosuch"], "--ignore"),
        ["--categorical"] = (["--categorical", "nosuch"], "--categorical"),
        ["--missing"] = (["--missing", "guess"], "--missing"),
        ["--rows"] = (["--rows", "5"], "--rows"),
        ["--labels"] = (["--labels", "{file}"], "--labels"),
        ["--task"] = (["--task", "spin"], "--task"),
        ["--class-names"] = (["--class-names", "a,b,c,d"], "--class-names"),
        ["--seed"] = (["--seed", "-1"], "--seed"),
        ["--exponent"] = (["--exponent", "0.5"], "--exponent"),
        ["--positions"] = (["--positions", "0,1,2"], "--positions"),
        ["--power"] = (["--power", "0"], "--power"),
        ["--distance"] = (["--distance", "far"], "--distance"),
        ["--learner"] = (["--learner", "fast"], "--learner"),
        ["--epsilon"] = (["--epsilon", "0"], "--epsilon"),
        ["--soft-labels"] = (["--soft-labels", "gaussian:0"], "--soft-labels"),
        ["--threshold"] = (["--threshold", "NaN"], "--threshold"),
        ["--alpha"] = (["--alpha", "-1"], "--alpha"),
        ["--beta"] = (["--beta", "-1"], "--beta"),
        ["--epochs"] = (["--epochs", "0"], "--epochs"),
        ["--min-epochs"] = (["--min-epochs", "5", "--epochs", "3"], "--min-epochs"),
        ["--batch-size"] = (["--batch-size", "0"], "--batch-size"),
        ["--lr"] = (["--lr", "0"], "--lr"),
        ["--weight-decay"] = (["--weight-decay", "-1"], "--weight-decay"),
        ["--patience"] = (["--patience", "0"], "--patience"),
        ["--hidden"] = (["--hidden", "100000,100000"], "--hidden"),
        ["--dropout"] = (["--dropout", "1"], "--dropout"),
        ["--validation"] = (["--validation", "0"], "--validation"),
        ["--test"] = (["--test", "0"], "--test"),
        ["--device"] = (["--device", "tpu"], "--device"),
        ["--monitor"] = (["--monitor", "f1"], "--monitor"),
        ["--decoder"] = (["--decoder", "mode"], "--decoder"),
        ["--output"] = (["-o", "{file}/run"], "--output"),
        ["--force"] = (["-o", "{foreign}", "--force"], "--force"),
    };

    private static readonly Dictionary<string, (string[] Args, string Expected)> TrainOnly = new()
    {
        ["--loss"] = (["--loss", "nonsense"], "--loss"),
        ["--warmup"] = (["--loss", "emd2", "--warmup", "3", "--epochs", "3"], "--warmup"),
        ["--resume"] = (["--resume", "-o", "{out}"], "--resume"),
        ["--save-split"] = (["--save-split", "{file}/split"], "--save-split"),
    };

    private static readonly Dictionary<string, (string[] Args, string Expected)> CompareOnly = new()
    {
        ["--losses"] = (["--losses", "nonsense"], "--losses"),
        ["--warmup"] = (["--losses", "ce,emd2", "--warmup", "3", "--epochs", "3"], "--warmup"),
        ["--seeds"] = (["--seeds", "1,1"], "--seeds"),
        ["--folds"] = (["--folds", "1"], "--folds"),
        ["--suite"] = (["--suite", "everything"], "--suite"),
    };

    // With --suite the suite file sets data, losses and training, so these cases give no base options.
    private static readonly Dictionary<string, (string[] Args, string Expected)> CompareSuite = new()
    {
        ["--shard"] = (["--suite", "{suite}", "--shard", "3/2", "-o", "{out}"], "--shard"),
        ["--results"] = (["--suite", "{suite}", "--results", "{file}/results.md", "-o", "{out}"], "--results"),
        ["--resume"] = (["--resume", "-o", "{out}"], "--resume"),
    };

    private static readonly Dictionary<string, (string[] Args, string Expected)> Report = new()
    {
        ["--suite"] = (["--suite", "{dir}/suite.json", "--raw", "{raw}", "-o", "{out}/results.md"], "--suite"),
        ["--raw"] = (["--suite", "{suite}", "--raw", "{file}", "-o", "{out}/results.md"], "--raw"),
        ["--output"] = (["--suite", "{suite}", "--raw", "{raw}", "-o", "{out}/results.txt"], "--output"),
        ["--save-raw"] = (["--suite", "{suite}", "--raw", "{raw}", "-o", "{out}/results.md", "--save-raw", "{file}/raw.csv"], "--save-raw"),
        ["--force"] = (["--suite", "{suite}", "--raw", "{raw}", "-o", "{out}/results.md", "--save-raw", "{raw}", "--force"], "is a --raw file, which this command reads"),
    };

    private static readonly Dictionary<string, (string[] Args, string Expected)> Evaluate = new()
    {
        ["--run"] = (["--run", "{out}"], "--run"),
        ["--split"] = (["--run", "{run}", "--split", "middle"], "--split"),
        ["--data"] = (["--run", "{run}", "--data", "/nonexistent/data.csv"], "--data"),
        ["--decoder"] = (["--run", "{run}", "--decoder", "mode"], "--decoder"),
        ["--threshold"] = (["--run", "{run}", "--threshold", "NaN"], "--threshold"),
        ["--output"] = (["--run", "{run}", "-o", "{out}/evaluation.json"], "--output"),
        ["--force"] = (["--run", "{run}", "-o", "{run}/model.bin", "--force"], "is the run's own model.bin"),
    };

    /// <summary>compare's options for a cluster (plan, run one, collect), each with a whole command line.</summary>
    private static readonly Dictionary<string, (string[] Args, string Expected)> Cluster = new()
    {
        ["compare --plan"] = (["compare", "--plan", "--suite", "ordinal", "-o", "{out}"], "--plan"),
        ["compare --run-folder"] = (["compare", "--run-folder", "{out}", "--job", "0"], "--run-folder"),
        ["compare --job"] = (["compare", "--run-folder", "{run}", "--job", "first"], "--job 'first'"),
        ["compare --collect"] = (["compare", "--collect", "{run}"], "no plan.json"),
        ["compare --partial"] = (["compare", "--partial", "-o", "{out}"], "--partial goes with --collect"),
        ["export --onnx"] = (["export", "{run}", "--onnx", "{file}"], "--onnx"),
        ["export --decoder"] = (["export", "{run}", "--onnx", "{dir}/m.onnx", "--decoder", "mode"], "--decoder"),
    };

    /// <summary>
    /// Cases for the options of the cli-data branch (CSV dialects, binned targets, predict), written before it
    /// was merged: each is used once its option exists in the parser. After the merge this list can join the
    /// ones above.
    /// </summary>
    private static readonly Dictionary<string, (string[] Args, string Expected)> AfterCliData = new()
    {
        ["train --delimiter"] = (["train", .. WithBase(["--delimiter", "x"])], "--delimiter"),
        ["train --encoding"] = (["train", .. WithBase(["--encoding", "ebcdic"])], "--encoding"),
        ["train --bins"] = (["train", .. WithBase(["--bins", "1"])], "--bins"),
        ["train --binning"] = (["train", .. WithBase(["--bins", "3", "--binning", "log"])], "--binning"),
        ["compare --delimiter"] = (["compare", .. WithBase(["--delimiter", "x"])], "--delimiter"),
        ["compare --encoding"] = (["compare", .. WithBase(["--encoding", "ebcdic"])], "--encoding"),
        ["compare --bins"] = (["compare", .. WithBase(["--bins", "1"])], "--bins"),
        ["compare --binning"] = (["compare", .. WithBase(["--bins", "3", "--binning", "log"])], "--binning"),
        ["evaluate --labels"] = (["evaluate", "--run", "{run}", "--labels", "{file}"], "--labels"),
        ["evaluate --delimiter"] = (["evaluate", "--run", "{run}", "--data", "{data}", "--delimiter", "x"], "--delimiter"),
        ["evaluate --encoding"] = (["evaluate", "--run", "{run}", "--data", "{data}", "--encoding", "ebcdic"], "--encoding"),
        ["predict --run"] = (["predict", "--run", "{out}", "--data", "{data}", "-o", "{dir}/p.csv"], "--run"),
        ["predict --data"] = (["predict", "--run", "{run}", "--data", "/nonexistent/data.csv", "-o", "{dir}/p.csv"], "--data"),
        ["predict --output"] = (["predict", "--run", "{run}", "--data", "{data}", "-o", "{out}/p.csv"], "--output"),
        ["predict --id"] = (["predict", "--run", "{run}", "--data", "{data}", "--id", "nosuch", "-o", "{dir}/p.csv"], "--id"),
        ["predict --decoder"] = (["predict", "--run", "{run}", "--data", "{data}", "--decoder", "mode", "-o", "{dir}/p.csv"], "--decoder"),
        ["predict --labels"] = (["predict", "--run", "{run}", "--data", "{data}", "--labels", "{file}", "-o", "{dir}/p.csv"], "--labels"),
        ["predict --delimiter"] = (["predict", "--run", "{run}", "--data", "{data}", "--delimiter", "x", "-o", "{dir}/p.csv"], "--delimiter"),
        ["predict --force"] = (["predict", "--run", "{run}", "--data", "{data}", "-o", "{data}", "--force"], "is the --data file, which this command reads"),
        ["predict --encoding"] = (["predict", "--run", "{run}", "--data", "{data}", "--encoding", "ebcdic", "-o", "{dir}/p.csv"], "--encoding"),
    };

    private readonly TrainedRun _run;

    public OptionValidationTests(TrainedRun run) => _run = run;

    /// <summary>Every case, by "command option".</summary>
    public static IEnumerable<object[]> CaseNames() => Cases().Keys.Select(k => new object[] { k });

    [Fact]
    public void Every_option_of_every_command_has_an_invalid_value_case()
    {
        var cases = Cases();
        var options = ParserOptions();
        var missing = options.Where(o => !cases.ContainsKey(o) && !Flags.Contains(o)).ToArray();
        Assert.True(missing.Length == 0, $"options without an invalid-value case: {string.Join(", ", missing)}");
        Assert.Empty(cases.Keys.Concat(Flags).Except(options));
        Assert.Contains("train --epochs", cases.Keys);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void An_invalid_value_is_one_line_exit_2_and_nothing_written(string name)
    {
        var (args, expected) = Cases()[name];
        string scratch = CliRunner.TempFolder();
        Directory.CreateDirectory(scratch);
        string output = Path.Combine(scratch, "out");
        string file = Path.Combine(scratch, "a-file");
        File.WriteAllText(file, "not a folder");
        string foreign = Path.Combine(scratch, "notes");
        Directory.CreateDirectory(foreign);
        File.WriteAllText(Path.Combine(foreign, "mine.txt"), "keep me");
        var line = args.Select(a => a.Replace("{out}", output, StringComparison.Ordinal)
            .Replace("{dir}", scratch, StringComparison.Ordinal)
            .Replace("{file}", file, StringComparison.Ordinal)
            .Replace("{foreign}", foreign, StringComparison.Ordinal)
            .Replace("{run}", _run.Folder, StringComparison.Ordinal)
            .Replace("{data}", CliRunner.DataFile("hpc_data.csv"), StringComparison.Ordinal)
            .Replace("{suite}", RepositoryRoot.Of("docs", "evidence", "suite.json"), StringComparison.Ordinal)
            .Replace("{raw}", RepositoryRoot.Of("docs", "evidence", "raw.csv"), StringComparison.Ordinal)).ToArray();
        var runFiles = Directory.GetFiles(_run.Folder);

        var (exit, stdout, stderr) = CliRunner.Run(line);

        Assert.True(exit == 2, $"{string.Join(' ', line)}: exit {exit}, {stderr}");
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.StartsWith("earthmover: ", stderr, StringComparison.Ordinal);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(output), $"{output} was created");
        Assert.Equal(["a-file", "notes"], Directory.GetFileSystemEntries(scratch).Select(Path.GetFileName).Order());
        Assert.Equal(["mine.txt"], Directory.GetFileSystemEntries(foreign).Select(Path.GetFileName));
        Assert.Equal(runFiles, Directory.GetFiles(_run.Folder));
    }

    private static Dictionary<string, (string[] Args, string Expected)> Cases()
    {
        var cases = new Dictionary<string, (string[] Args, string Expected)>();
        foreach (var (option, (args, expected)) in Shared.Concat(TrainOnly))
        {
            cases[$"train {option}"] = (["train", .. WithBase(args)], expected);
        }
        foreach (var (option, (args, expected)) in Shared.Concat(CompareOnly))
        {
            cases[$"compare {option}"] = (["compare", .. WithBase(args)], expected);
        }
        foreach (var (option, (args, expected)) in CompareSuite)
        {
            cases[$"compare {option}"] = (["compare", .. args], expected);
        }
        foreach (var (option, (args, expected)) in Report)
        {
            cases[$"report {option}"] = (["report", .. args], expected);
        }
        foreach (var (option, (args, expected)) in Evaluate)
        {
            cases[$"evaluate {option}"] = (["evaluate", .. args], expected);
        }
        foreach (var (name, value) in Cluster)
        {
            cases[name] = value;
        }
        var options = ParserOptions();
        foreach (var (name, value) in AfterCliData.Where(c => options.Contains(c.Key)))
        {
            cases[name] = value;
        }
        return cases;
    }

    // "command option" for every option of every command, as the parser has them.
    private static string[] ParserOptions() =>
        CliApp.Build(new CommandOptions(), TextWriter.Null).Subcommands.SelectMany(c => c.Options.Select(o => $"{c.Name} {o.Name}")).ToArray();

    // The case's arguments after those of the base it does not give itself (an option given twice is another error).
    private static string[] WithBase(string[] args) =>
        [.. Base.Where(b => !args.Contains(b.Option)).SelectMany(b => new[] { b.Option, b.Value }), .. args];

    /// <summary>A small trained run, for the evaluate cases.</summary>
    public sealed class TrainedRun
    {
        public TrainedRun()
        {
            Folder = CliRunner.TempFolder();
            var (exit, _, error) = CliRunner.Run("train", "--data", CliRunner.DataFile("hpc_data.csv"), "--target", "class", "--order", "VF,F,M,L", "--epochs", "2", "-o", Folder, "-q");
            Assert.True(exit == 0, error);
        }

        public string Folder { get; }
    }
}
