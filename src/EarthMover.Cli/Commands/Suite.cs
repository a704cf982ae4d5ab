using System.Diagnostics;
using System.Globalization;
using System.Text;
using EarthMover.Cli.Data;
using EarthMover.Cli.Reports;
using EarthMover.Cli.Training;

namespace EarthMover.Cli.Commands;

/// <summary>
/// The evidence suite (compare --suite ordinal): the ordinal datasets of the repository's data/ folder, orderless
/// Fashion-MNIST and the rotated Fashion-MNIST task, each with the same seven losses over the given seeds; writes
/// docs/results.md. Run it from the repository root: the CSV files are read from data/ in the current folder.
/// </summary>
internal static class Suite
{
    /// <summary>The losses every dataset is trained with; ce first, the baseline of the paired wins.</summary>
    public static readonly LossSpec[] Losses =
    [
        new() { Name = "ce" },
        new() { Name = "emd2" },
        new() { Name = "emd2", Warmup = 2 },
        new() { Name = "gd-emd" },
        new() { Name = "xemd1" },
        new() { Name = "xemd2" },
        new() { Name = "regression" },
    ];

    /// <summary>The losses at smoke scale: warm-ups shortened to one epoch, so that two epochs check every loss.</summary>
    public static readonly LossSpec[] SmokeLosses = Losses.Select(l => l.HasWarmup || l.IsXemd ? l with { Warmup = 1 } : l).ToArray();

    public static readonly string[] FashionTops = ["T-shirt/top", "Pullover", "Coat", "Shirt", "Dress"];

    public static readonly string[] FashionShoes = ["Sandal", "Sneaker", "Ankle boot"];

    /// <summary>One dataset of the suite.</summary>
    public sealed record Entry(string Title, DataOptions Data, int Epochs, string Note);

    public static IReadOnlyList<Entry> Entries(bool smoke)
    {
        int? tabularRows = smoke ? 300 : null;
        int imageRows = smoke ? 300 : 10000;
        // Smoke scale: two epochs, a one-epoch warm-up (SmokeLosses) and one epoch of each loss after it.
        int tabularEpochs = smoke ? 2 : 20;
        int imageEpochs = smoke ? 2 : 8;
        // The smoke scale takes a few hundred images: the sample in data/ has them; the full scale needs the full set.
        string fashion = smoke ? Path.Combine(DataFolder, "fashion-mnist-sample") : CliDefaults.FashionMnist;
        return
        [
            new("diamonds: cut", new DataOptions { Target = "cut", Rows = tabularRows }, tabularEpochs, "53,940 diamonds; 5 classes, skewed to Ideal"),
            new("diamonds: color", new DataOptions { Target = "color", Rows = tabularRows }, tabularEpochs, "D (best) < ... < J; 7 classes"),
            new("diamonds: clarity", new DataOptions { Target = "clarity", Rows = tabularRows }, tabularEpochs, "I1 < ... < IF; 8 classes"),
            new("hpc_data: class", new DataOptions { Source = Path.Combine(DataFolder, "hpc_data.csv"), Target = "class", Order = ["VF", "F", "M", "L"], Rows = tabularRows }, tabularEpochs, "compute-job run time, 4 classes"),
            new("stackoverflow: CareerSatisfaction", new DataOptions { Source = Path.Combine(DataFolder, "stackoverflow.csv"), Target = "CareerSatisfaction", Rows = tabularRows }, tabularEpochs, "0..10, 11 classes"),
            new("attrition: JobSatisfaction", new DataOptions { Source = Path.Combine(DataFolder, "attrition.csv"), Target = "JobSatisfaction", Order = ["Low", "Medium", "High", "Very_High"], Rows = tabularRows }, tabularEpochs, "IBM HR sample, 1,470 employees, 4 classes"),
            new("fair: rate_marriage", new DataOptions { Source = Path.Combine(DataFolder, "fair.csv"), Target = "rate_marriage", Rows = tabularRows }, tabularEpochs, "1..5, 6,366 survey answers"),
            new("Fashion-MNIST (orderless)", new DataOptions { Source = fashion, Rows = imageRows }, imageEpochs, $"a stratified sample of {imageRows} images; 10 classes with no order"),
            new("Fashion-MNIST rotated (ordinal)", new DataOptions { Source = fashion, Task = "rotation", Rows = imageRows }, imageEpochs, $"{imageRows} images rotated by a uniform angle in [-60°, 60°] (seeded); label: its bin of 9"),
        ];
    }

    /// <summary>The folder of the suite's CSV files (and of the Fashion-MNIST sample), relative to the current folder.</summary>
    public const string DataFolder = "data";

    // Every file and folder the suite reads, checked before the first of many trainings starts.
    private static void CheckSources(IEnumerable<Entry> entries)
    {
        foreach (var source in entries.Select(e => e.Data.Source).Where(s => s != DataSource.Diamonds).Distinct())
        {
            if (source == CliDefaults.FashionMnist && !Directory.Exists(source))
            {
                throw new UserError($"--suite: {source} is missing; the full suite trains on the full Fashion-MNIST: sudo apt-get install -y dataset-fashion-mnist (or --scale smoke, which uses data/fashion-mnist-sample).");
            }
            if (!File.Exists(source) && !Directory.Exists(source))
            {
                throw new UserError($"--suite: {source} is missing; run the suite from the repository root, which holds the data/ folder.");
            }
        }
    }

    public static void Run(TrainOptions train, IReadOnlyList<int> seeds, bool smoke, RunFolder runs, string resultsPath, Action<string> log, CancellationToken cancel)
    {
        var total = Stopwatch.StartNew();
        var sections = new List<(Entry Entry, Comparison Comparison, double Seconds, int Samples)>();
        var entries = Entries(smoke);
        CheckSources(entries);
        string docs = Path.GetDirectoryName(Path.GetFullPath(resultsPath))!;
        var figures = new RunFolder(Path.Combine(docs, "results"), "--results");
        foreach (var entry in entries)
        {
            var watch = Stopwatch.StartNew();
            var data = DataSource.Load(entry.Data);
            log($"== {entry.Title}: {data.Count} samples");
            var folder = runs.Child(Slug(entry.Title));
            var comparison = Comparison.Run(data, entry.Data, smoke ? SmokeLosses : Losses, train with { Epochs = entry.Epochs }, seeds, null, folder, log, cancel);
            comparison.Write(folder);
            figures.CopyIn(folder.PathOf("compare.png"), $"{Slug(entry.Title)}.png");
            foreach (var (loss, distance) in comparison.Distances)
            {
                Plots.WriteGroundDistance(figures, distance, data.ClassNames, $"{entry.Title}: learned ground distance ({Losses[loss].Name}, {comparison.Rounds[0]})");
                File.Move(figures.PathOf(Plots.GroundDistance), figures.PathOf($"{Slug(entry.Title)}-distance-{Losses[loss].Name}.png"), overwrite: true);
            }
            sections.Add((entry, comparison, watch.Elapsed.TotalSeconds, data.Count));
        }
        var text = new StringBuilder();
        text.AppendLine("# Evidence: EMD² against cross-entropy on real data");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Written by `earthmover compare --suite ordinal{(smoke ? " --scale smoke" : "")}` on {DateTime.UtcNow:yyyy-MM-dd} ({Environment.ProcessorCount} cores; {total.Elapsed.TotalMinutes:0} minutes in all). Each dataset is split 70/15/15 (train/validation/test), stratified and seeded, once per seed ({string.Join(", ", seeds)}); each run trains from the same initial weights for that seed, stops early on validation {train.Monitor} (patience {train.Patience}; warm-up epochs are not eligible), and reports its best epoch's test metrics with the argmax decoder. Tabular data: an MLP 128-64 with dropout 0.1; images: a small CNN. Adam, learning rate {train.LearningRate}, batch {train.BatchSize}.");
        text.AppendLine();
        text.AppendLine("Losses: `ce` cross-entropy; `emd2` the paper's squared EMD on the class CDFs; `emd2 (CE warm-up 2)` the same after two epochs of cross-entropy, then CE + β·EMD² (β from the warm-up); `gd-emd` the exact EMD with ground distance |i - j|; `xemd1`/`xemd2` the paper's XEMD with a ground distance learned from the network's features (streaming), trained as CE + β·XEMD after a 2-epoch warm-up; `regression` mean squared error on the class index, rounded. MAE and mean EMD are in classes.");
        text.AppendLine();
        foreach (var (entry, comparison, seconds, samples) in sections)
        {
            text.AppendLine(comparison.Markdown(2).Replace($"## {comparison.Dataset}", $"## {entry.Title}", StringComparison.Ordinal));
            text.AppendLine(CultureInfo.InvariantCulture, $"{entry.Note}; {samples} samples used; {seconds / 60:0.0} minutes.");
            text.AppendLine();
            text.AppendLine($"![{entry.Title}](results/{Slug(entry.Title)}.png)");
            foreach (var loss in comparison.Distances.Keys)
            {
                text.AppendLine();
                text.AppendLine($"![{entry.Title}: learned ground distance]({"results/" + Slug(entry.Title)}-distance-{Losses[loss].Name}.png)");
            }
            if (entry.Title.StartsWith("Fashion-MNIST (", StringComparison.Ordinal) && comparison.Distances.Count > 0)
            {
                text.AppendLine();
                text.AppendLine(Neighbours(comparison));
            }
            text.AppendLine();
        }
        new RunFolder(docs, "--results").WriteText(Path.GetFileName(resultsPath), text.ToString());
        log($"wrote {resultsPath} ({total.Elapsed.TotalMinutes:0.0} minutes)");
    }

    // For each class, its nearest classes under the learned distance, and whether they are of its kind.
    private static string Neighbours(Comparison comparison)
    {
        var text = new StringBuilder();
        foreach (var (loss, distance) in comparison.Distances)
        {
            var names = comparison.ClassNames;
            int sameKind = 0, withKind = 0;
            text.AppendLine(CultureInfo.InvariantCulture, $"Nearest classes under the distance learned by {Losses[loss].Name} ({comparison.Rounds[0]}):");
            text.AppendLine();
            text.AppendLine("| class | nearest | second | nearest of the same kind? |");
            text.AppendLine("|---|---|---|---|");
            for (int k = 0; k < names.Count; k++)
            {
                var order = Enumerable.Range(0, names.Count).Where(j => j != k).OrderBy(j => distance[k, j]).ToArray();
                string kind = Kind(names[k]);
                string verdict = "—";
                if (kind != "other")
                {
                    bool same = Kind(names[order[0]]) == kind;
                    sameKind += same ? 1 : 0;
                    withKind++;
                    verdict = same ? "yes" : "no";
                }
                text.AppendLine(CultureInfo.InvariantCulture, $"| {names[k]} | {names[order[0]]} ({distance[k, order[0]]:0.000}) | {names[order[1]]} ({distance[k, order[1]]:0.000}) | {verdict} |");
            }
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"{sameKind} of the {withKind} tops and shoes have a class of their own kind as nearest neighbour (tops: {string.Join(", ", FashionTops)}; shoes: {string.Join(", ", FashionShoes)}).");
            text.AppendLine();
        }
        return text.ToString();
    }

    private static string Kind(string name) => FashionTops.Contains(name) ? "tops" : FashionShoes.Contains(name) ? "shoes" : "other";

    public static string Slug(string title)
    {
        string dashed = new(title.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());
        while (dashed.Contains("--", StringComparison.Ordinal))
        {
            dashed = dashed.Replace("--", "-", StringComparison.Ordinal);
        }
        return dashed.Trim('-');
    }
}
