using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EarthMover.Tests.Cli;

/// <summary>
/// compare --suite FILE on a tiny suite (a table and the rotated-images task, two losses, two seeds, two epochs):
/// raw.csv holds a row per dataset x loss x seed, the page is regenerated from it by earthmover report, shards
/// merge to the same results, and a bad suite or raw file is one line with nothing written.
/// </summary>
[Collection(nameof(CliTests))]
public class SuiteSmokeTests
{
    // A suite beside its data: the CSV file is named relative to the suite file's folder.
    private static string TinySuite(string folder, Action<JsonObject>? edit = null)
    {
        Directory.CreateDirectory(folder);
        File.Copy(CliRunner.DataFile("hpc_data.csv"), Path.Combine(folder, "hpc.csv"));
        var suite = new JsonObject
        {
            ["description"] = "A tiny suite.",
            ["seeds"] = new JsonArray(1, 2),
            ["alpha"] = 0.05,
            ["baseline"] = "ce",
            ["metrics"] = new JsonArray("MAE", "exact accuracy"),
            ["training"] = new JsonObject { ["epochs"] = 3, ["patience"] = 2 },
            ["losses"] = new JsonArray(
                new JsonObject { ["label"] = "ce", ["loss"] = "ce" },
                new JsonObject { ["label"] = "emd2, CE warm-up 1", ["loss"] = "emd2", ["warmup"] = 1 }),
            ["datasets"] = new JsonArray(
                new JsonObject { ["title"] = "hpc: class", ["task"] = "csv", ["data"] = "hpc.csv", ["target"] = "class", ["order"] = new JsonArray("VF", "F", "M", "L"), ["rows"] = 200, ["note"] = "a sample" },
                new JsonObject { ["title"] = "rotated", ["task"] = "rotation", ["data"] = CliRunner.FashionMnistSample, ["rows"] = 200, ["epochs"] = 2 }),
        };
        edit?.Invoke(suite);
        string path = Path.Combine(folder, "suite.json");
        File.WriteAllText(path, suite.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    [Fact]
    public void Suite_writes_raw_results_and_a_page_that_report_regenerates()
    {
        string folder = CliRunner.TempFolder();
        string suite = TinySuite(folder);
        string runs = Path.Combine(folder, "runs");
        string results = Path.Combine(folder, "docs", "results.md");
        var (exit, _, error) = CliRunner.Run("compare", "--suite", suite, "-o", runs, "--results", results, "-q");
        Assert.True(exit == 0, error);

        var raw = File.ReadAllLines(Path.Combine(runs, "raw.csv"));
        Assert.Equal("dataset,loss,seed,samples,test_rows,exact_accuracy,one_off_accuracy,mae,macro_mae,qwk,mean_emd,best_epoch,epochs_run,seconds,collapsed,rps,log_loss,brier,validation_score,cpu,simd,os,dotnet,torchsharp,threads", raw[0]);
        Assert.Equal(1 + 2 * 2 * 2, raw.Length);
        // Each row's proper scores are those its run folder's metrics.json records; each row names the machine.
        var table = Csv(Path.Combine(runs, "raw.csv"));
        var row = table.First(r => r["dataset"] == "hpc: class" && r["loss"] == "ce" && r["seed"] == "2");
        string seedTwo = Path.Combine(runs, "hpc-class", "ce-s2");
        Assert.Equal(0, CliRunner.Run("evaluate", "--run", seedTwo).Exit);
        using (var evaluation = JsonDocument.Parse(File.ReadAllText(Path.Combine(seedTwo, "evaluation.json"))))
        {
            var scores = evaluation.RootElement.GetProperty("proper_scores");
            foreach (var name in new[] { "rps", "log_loss", "brier" })
            {
                Assert.Equal(scores.GetProperty(name).GetDouble(), double.Parse(row[name], CultureInfo.InvariantCulture), 6);
            }
        }
        Assert.All(table, r => Assert.True(r["cpu"].Length > 0 && r["simd"].Contains("kernels", StringComparison.Ordinal) && r["os"].Length > 0 && r["dotnet"].StartsWith(".NET", StringComparison.Ordinal) && r["torchsharp"].StartsWith("0.", StringComparison.Ordinal) && int.Parse(r["threads"], CultureInfo.InvariantCulture) >= 1, string.Join(",", r.Values)));
        Assert.Contains(raw, line => line.StartsWith("rotated,\"emd2, CE warm-up 1\",2,", StringComparison.Ordinal));
        string page = File.ReadAllText(results);
        Assert.Equal(page, File.ReadAllText(Path.Combine(runs, "results.md")));
        Assert.Contains("## hpc: class", page, StringComparison.Ordinal);
        Assert.Contains("## rotated", page, StringComparison.Ordinal);
        Assert.Contains("## The answer across datasets (pooled; not pre-registered)", page, StringComparison.Ordinal);
        Assert.Contains("| RPS ↓ | log loss ↓ | Brier ↓ |", page, StringComparison.Ordinal);
        Assert.Contains("## Machines", page, StringComparison.Ordinal);
        Assert.Contains("**4 comparisons**", page, StringComparison.Ordinal);
        // Two seeds: the smallest p-value is 2/2^2 = 0.5, so nothing can survive, and the page says so.
        Assert.Contains("it cannot: this family needs at least", page, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "docs", "results", "hpc-class.png")));
        Assert.True(File.Exists(Path.Combine(folder, "docs", "results", "rotated.png")));

        // The page again from raw.csv alone, in another folder: the same text.
        string again = Path.Combine(folder, "again", "page.md");
        var report = CliRunner.Run("report", "--suite", suite, "--raw", Path.Combine(runs, "raw.csv"), "-o", again);
        Assert.True(report.Exit == 0, report.Error);
        Assert.Equal(page, File.ReadAllText(again).Replace("](page/", "](results/", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(folder, "again", "page", "rotated.png")));
    }

    [Fact]
    public void A_suite_trains_the_ordinal_methods_by_their_short_names()
    {
        string folder = CliRunner.TempFolder();
        string suite = TinySuite(folder, s =>
        {
            s["datasets"]!.AsArray().RemoveAt(1);
            s["losses"]![1]!["label"] = "CDW-CE";
            s["losses"]![1]!["loss"] = "cdw-ce:alpha=2";
            s["losses"]![1]!.AsObject().Remove("warmup");
            s["losses"]!.AsArray().Add(new JsonObject { ["label"] = "CORAL", ["loss"] = "coral" });
        });
        string runs = Path.Combine(folder, "runs");
        var (exit, _, error) = CliRunner.Run("compare", "--suite", suite, "-o", runs, "-q");
        Assert.True(exit == 0, error);
        string raw = File.ReadAllText(Path.Combine(runs, "raw.csv"));
        Assert.Contains("CDW-CE", raw, StringComparison.Ordinal);
        Assert.Contains("CORAL", raw, StringComparison.Ordinal);
    }

    [Fact]
    public void Shards_together_train_what_one_process_trains()
    {
        string folder = CliRunner.TempFolder();
        string suite = TinySuite(folder, s => s["datasets"]!.AsArray().RemoveAt(1));
        string whole = Path.Combine(folder, "whole");
        Assert.Equal(0, CliRunner.Run("compare", "--suite", suite, "-o", whole, "-q").Exit);
        var first = CliRunner.Run("compare", "--suite", suite, "--shard", "1/2", "-o", Path.Combine(folder, "s1"), "-q");
        var second = CliRunner.Run("compare", "--suite", suite, "--shard", "2/2", "-o", Path.Combine(folder, "s2"), "-q");
        Assert.True(first.Exit == 0 && second.Exit == 0, first.Error + second.Error);
        Assert.False(File.Exists(Path.Combine(folder, "s1", "results.md")), "a shard writes no page");
        string merged = Path.Combine(folder, "merged.csv");
        var report = CliRunner.Run("report", "--suite", suite, "--raw", $"{Path.Combine(folder, "s2", "raw.csv")},{Path.Combine(folder, "s1", "raw.csv")}", "-o", Path.Combine(folder, "page.md"), "--save-raw", merged);
        Assert.True(report.Exit == 0, report.Error);
        // Every column but the wall time: the same trainings, in the suite's order.
        Assert.Equal(WithoutSeconds(Path.Combine(whole, "raw.csv")), WithoutSeconds(merged));
    }

    [Fact]
    public void A_rerun_on_the_same_machine_reproduces_every_raw_row()
    {
        string folder = CliRunner.TempFolder();
        string suite = TinySuite(folder, s => s["datasets"]!.AsArray().RemoveAt(1));
        string first = Path.Combine(folder, "first"), second = Path.Combine(folder, "second");
        Assert.Equal(0, CliRunner.Run("compare", "--suite", suite, "-o", first, "-q").Exit);
        Assert.Equal(0, CliRunner.Run("compare", "--suite", suite, "-o", second, "-q").Exit);
        var a = WithoutSeconds(Path.Combine(first, "raw.csv"));
        Assert.Equal(1 + 2 * 2, a.Length);
        // Every metric, proper score and machine cell to the last digit; only the wall time may differ.
        Assert.Equal(a, WithoutSeconds(Path.Combine(second, "raw.csv")));
    }

    [Fact]
    public void Resampling_suites_draw_a_subsample_per_seed_and_pool_the_declared_primary_endpoints()
    {
        string folder = CliRunner.TempFolder();
        string suite = TinySuite(folder, s =>
        {
            s["datasets"]!.AsArray().RemoveAt(1);
            s["resample"] = true;
            s["primary"] = new JsonArray("RPS", "MAE");
            s["metrics"] = new JsonArray("RPS", "MAE", "exact accuracy");
            s["multiplicity"] = "bh";
        });
        string runs = Path.Combine(folder, "runs");
        var (exit, _, error) = CliRunner.Run("compare", "--suite", suite, "-o", runs, "-q");
        Assert.True(exit == 0, error);
        string page = File.ReadAllText(Path.Combine(runs, "results.md"));
        Assert.Contains("## The answer across datasets (primary)", page, StringComparison.Ordinal);
        Assert.Contains("The primary endpoints (RPS, MAE) were declared", page, StringComparison.Ordinal);
        Assert.Contains("Benjamini-Hochberg's correction over all 3 comparisons", page, StringComparison.Ordinal);
        Assert.Contains("| BH q |", page, StringComparison.Ordinal);
        // One dataset: nothing to pool, and the page says why.
        Assert.Contains("not computed: fewer than two datasets", page, StringComparison.Ordinal);
        // Seeds 1 and 2 draw their subsamples with their own seeds, and the console says so.
        Assert.Contains("(a subsample of its own for each seed)", CliRunner.Run("compare", "--suite", suite, "-o", Path.Combine(folder, "again"), "--force").Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_primary_endpoint_the_raw_rows_do_not_record_is_one_line()
    {
        string folder = CliRunner.TempFolder();
        string suite = TinySuite(folder, s => { s["primary"] = new JsonArray("RPS"); s["metrics"] = new JsonArray("RPS", "MAE"); s["datasets"]![1]!["pooled"] = false; });
        string raw = Path.Combine(folder, "raw.csv");
        var lines = new List<string> { string.Join(",", LegacyHeader) };
        foreach (var dataset in new[] { "hpc: class", "rotated" })
        {
            foreach (var loss in new[] { "ce", "emd2, CE warm-up 1" })
            {
                lines.AddRange([$"{dataset},\"{loss}\",1,200,30,0.5,0.9,0.5,0.6,0.4,0.7,3,3,1.5,false", $"{dataset},\"{loss}\",2,200,30,0.5,0.9,0.6,0.6,0.4,0.7,3,3,1.5,false"]);
            }
        }
        File.WriteAllLines(raw, lines);
        var (exit, _, error) = CliRunner.Run("report", "--suite", suite, "--raw", raw, "-o", Path.Combine(folder, "out", "page.md"));
        Assert.Equal(2, exit);
        Assert.Contains("declares RPS, which its raw rows do not record", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    private static readonly string[] LegacyHeader = ["dataset", "loss", "seed", "samples", "test_rows", "exact_accuracy", "one_off_accuracy", "mae", "macro_mae", "qwk", "mean_emd", "best_epoch", "epochs_run", "seconds", "collapsed"];

    // A raw file's rows as column → cell.
    private static List<Dictionary<string, string>> Csv(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvHelper.CsvReader(reader, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        var header = csv.HeaderRecord!;
        var rows = new List<Dictionary<string, string>>();
        while (csv.Read())
        {
            rows.Add(header.Select((h, i) => (h, csv.GetField(i)!)).ToDictionary(p => p.h, p => p.Item2));
        }
        return rows;
    }

    // Every row of a raw file without its wall time, as text.
    private static string[] WithoutSeconds(string path)
    {
        var rows = Csv(path);
        return [string.Join(",", rows[0].Keys.Where(k => k != "seconds")), .. rows.Select(r => string.Join(",", r.Where(p => p.Key != "seconds").Select(p => p.Value)))];
    }

    [Fact]
    public void A_bad_suite_file_is_one_line_and_nothing_is_written()
    {
        string folder = CliRunner.TempFolder();
        string runs = Path.Combine(folder, "runs");
        var cases = new (Action<JsonObject> Edit, string Message)[]
        {
            (s => s["loses"] = new JsonArray(), "'loses'"),
            (s => s["datasets"]![0]!["data"] = "missing.csv", "the CSV file"),
            (s => s["baseline"] = "cross-entropy", "'baseline' 'cross-entropy' is not the label of a loss"),
            (s => s["metrics"] = new JsonArray("MAE", "RMSE"), "'RMSE' is not a metric"),
            (s => s["losses"]![1]!["loss"] = "emd3", "'emd3' is not a loss"),
            (s => s["losses"]![1]!["loss"] = "cdw-ce:alpha=-1", "'loss' cdw-ce: alpha -1: it must be > 0."),
            (s => s["losses"]![1]!["warmup"] = 3, "dataset 'hpc: class': loss 'emd2, CE warm-up 1': --warmup 3"),
            (s => { s["datasets"]![1]!["task"] = "csv"; s["datasets"]![1]!["target"] = "label"; }, "task csv, but its data is a folder"),
            (s => s["datasets"]![1]!["task"] = "csv", "a csv task needs a 'target'"),
            (s => s["seeds"] = new JsonArray(1, 1), "'seeds'"),
        };
        for (int i = 0; i < cases.Length; i++)
        {
            string suite = TinySuite(Path.Combine(folder, $"case{i}"), cases[i].Edit);
            var (exit, _, error) = CliRunner.Run("compare", "--suite", suite, "-o", runs, "-q");
            Assert.Equal(2, exit);
            Assert.Contains(cases[i].Message, error, StringComparison.Ordinal);
            Assert.Single(error.Trim().Split('\n'));
        }
        string good = TinySuite(Path.Combine(folder, "good"));
        foreach (var args in new[] { new[] { "--seeds", "1,2" }, ["--epochs", "3"], ["--shard", "3/2"], ["--shard", "1/2", "--results", Path.Combine(folder, "r.md")], ["--results", Path.Combine(folder, "r.txt")] })
        {
            var (exit, _, error) = CliRunner.Run(["compare", "--suite", good, "-o", runs, "-q", .. args]);
            Assert.True(exit == 2, $"{string.Join(" ", args)}: {error}");
        }
        Assert.False(Directory.Exists(runs));
        Assert.False(File.Exists(Path.Combine(folder, "r.md")));
    }

    [Fact]
    public void Report_refuses_raw_results_that_do_not_match_the_suite()
    {
        string folder = CliRunner.TempFolder();
        string suite = TinySuite(folder);
        string header = "dataset,loss,seed,samples,test_rows,exact_accuracy,one_off_accuracy,mae,macro_mae,qwk,mean_emd,best_epoch,epochs_run,seconds,collapsed";
        string Row(string dataset, string loss, int seed, string mae = "0.5") => $"{dataset},\"{loss}\",{seed},200,30,0.5,0.9,{mae},0.6,0.4,0.7,3,3,1.5,false";
        var complete = new List<string> { header };
        foreach (var dataset in new[] { "hpc: class", "rotated" })
        {
            foreach (var loss in new[] { "ce", "emd2, CE warm-up 1" })
            {
                complete.AddRange([Row(dataset, loss, 1), Row(dataset, loss, 2)]);
            }
        }
        var cases = new (string[] Lines, string Message)[]
        {
            (complete.Take(complete.Count - 1).ToArray(), "no row for dataset 'rotated', loss 'emd2, CE warm-up 1', seed 2"),
            ([.. complete, Row("hpc: class", "ce", 1)], "seed 1 appears twice"),
            ([.. complete, Row("other", "ce", 1)], "dataset 'other'"),
            ([.. complete.Take(complete.Count - 1), Row("rotated", "emd2, CE warm-up 1", 2, "NaN")], "column mae: not a finite number"),
            (["dataset,loss", .. complete.Skip(1)], "line 1 must be the header"),
        };
        string page = Path.Combine(folder, "out", "results.md");
        foreach (var (lines, message) in cases)
        {
            string raw = Path.Combine(folder, "raw.csv");
            File.WriteAllLines(raw, lines);
            var (exit, _, error) = CliRunner.Run("report", "--suite", suite, "--raw", raw, "-o", page);
            Assert.Equal(2, exit);
            Assert.Contains(message, error, StringComparison.Ordinal);
            Assert.Single(error.Trim().Split('\n'));
        }
        Assert.False(Directory.Exists(Path.Combine(folder, "out")));
        File.WriteAllLines(Path.Combine(folder, "raw.csv"), complete);
        var ok = CliRunner.Run("report", "--suite", suite, "--raw", Path.Combine(folder, "raw.csv"), "-o", page);
        Assert.True(ok.Exit == 0, ok.Error);
    }
}
