using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using EarthMover.Cli.Commands;
using EarthMover.Cli.Statistics;
using EarthMover.Training.Data;

namespace EarthMover.Cli.Evidence;

/// <summary>
/// A suite of comparisons described by a JSON file (compare --suite FILE; docs/evidence/suite.json is the
/// evidence suite): datasets, losses, seeds, training settings and the pre-declared family of paired comparisons
/// (every loss but the baseline, on every declared metric of every dataset). Data paths are relative to the suite
/// file's folder, never searched for elsewhere. Read once, checked in full before anything is trained or written.
/// </summary>
internal sealed record SuiteFile
{
    /// <summary>The proper scores a suite may declare (lower is better): raw rows record them from the evidence suite v3 on.</summary>
    public static readonly IReadOnlyList<string> ProperScoreNames = ["RPS", "log loss", "Brier"];

    /// <summary>The metrics a suite may declare, by the names the file uses: those of <see cref="Comparison.Metrics"/> and the proper scores.</summary>
    public static IReadOnlyList<string> MetricNames => [.. Comparison.Metrics.Select(m => m.Name), .. ProperScoreNames];

    /// <summary>Whether a larger value of a metric (by its suite name) is better; the proper scores are lower-is-better.</summary>
    public static bool HigherIsBetter(string metric) =>
        !ProperScoreNames.Contains(metric) && Comparison.Metrics.First(m => m.Name == metric).HigherIsBetter;

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>What the suite is for, printed at the top of its results page.</summary>
    public string Description { get; init; } = "";

    /// <summary>One split and initialisation per seed, the same for every loss (the pairing of the tests).</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [];

    /// <summary>The error rate of the per-dataset correction (family-wise for Holm, false discovery rate for BH) and of the pooled primary tests.</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>
    /// The primary endpoints, declared before the run: metrics whose random-effects pooled estimate (each loss
    /// against the baseline, over the pooled datasets) answers the suite's questions, Holm-corrected over loss x
    /// endpoint. Empty: the page pools every metric of the family and says that none was declared primary.
    /// </summary>
    public IReadOnlyList<string> Primary { get; init; } = [];

    /// <summary>The per-dataset correction (a secondary analysis when there are primary endpoints): holm (family-wise error) or bh (Benjamini-Hochberg, false discovery rate).</summary>
    public string Multiplicity { get; init; } = "holm";

    /// <summary>Whether each seed draws its own subsample (a dataset's <c>rows</c>; and the rotation task's angles), not only its own split and initialisation.</summary>
    public bool Resample { get; init; }

    /// <summary>The label of the loss every other loss is compared with.</summary>
    public string Baseline { get; init; } = "";

    /// <summary>The metrics compared on every dataset that does not declare its own.</summary>
    public IReadOnlyList<string> Metrics { get; init; } = [];

    /// <summary>Training settings shared by every run (a dataset may override epochs and patience).</summary>
    public SuiteTraining Training { get; init; } = new();

    public IReadOnlyList<SuiteLoss> Losses { get; init; } = [];

    public IReadOnlyList<SuiteDataset> Datasets { get; init; } = [];

    /// <summary>The file it was read from (absolute); data paths are relative to its folder.</summary>
    [JsonIgnore]
    public string Path { get; private init; } = "";

    /// <summary>The non-baseline losses, in the file's order.</summary>
    [JsonIgnore]
    public IReadOnlyList<SuiteLoss> Candidates => Losses.Where(l => l.Label != Baseline).ToArray();

    /// <summary>The pre-declared family: (dataset, loss, metric) for every candidate loss and every metric of each dataset.</summary>
    [JsonIgnore]
    public IReadOnlyList<(SuiteDataset Dataset, SuiteLoss Loss, string Metric)> Family =>
        Datasets.SelectMany(d => Candidates.SelectMany(l => MetricsOf(d).Select(m => (d, l, m)))).ToArray();

    /// <summary>The datasets of the pooled (random-effects) analysis: those not marked <c>"pooled": false</c>.</summary>
    [JsonIgnore]
    public IReadOnlyList<SuiteDataset> PooledDatasets => Datasets.Where(d => d.Pooled).ToArray();

    /// <summary>The metrics of the pooled tables: the primary endpoints, or, where none are declared, every metric of the pooled datasets.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> PooledMetrics => Primary.Count > 0
        ? Primary
        : MetricNames.Where(m => PooledDatasets.Any(d => MetricsOf(d).Contains(m))).ToArray();

    /// <summary>The fewest seeds with which anything in the family can survive Holm's correction at <see cref="Alpha"/>.</summary>
    [JsonIgnore]
    public int MinimumSeeds => PairedFamily.MinimumRounds(Family.Count, Alpha);

    public IReadOnlyList<string> MetricsOf(SuiteDataset dataset) => dataset.Metrics ?? Metrics;

    /// <summary>Reads and checks a suite file; every problem is one <see cref="UserError"/> naming the file.</summary>
    public static SuiteFile Read(string path, string option = "--suite")
    {
        string full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new UserError($"{option} {path}: no such file.");
        }
        SuiteFile? suite;
        try
        {
            suite = JsonSerializer.Deserialize<SuiteFile>(File.ReadAllText(full), Options);
        }
        catch (JsonException e)
        {
            throw new UserError($"{option} {path}: not a suite file: {e.Message.Split('\n')[0].Trim()}");
        }
        if (suite is null)
        {
            throw new UserError($"{option} {path}: the file holds no suite (null).");
        }
        suite = suite with { Path = full };
        suite.Check(path, option);
        return suite;
    }

    /// <summary>The data options of a dataset, its path resolved against the suite file's folder.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="seed">The run's seed: with <see cref="Resample"/> it seeds the subsample (and the rotation task's angles); otherwise they use the data options' default seed, the same for every run.</param>
    public DataOptions DataOptions(SuiteDataset dataset, int? seed = null) => new()
    {
        Seed = Resample && seed is int s ? s : new DataOptions().Seed,
        Source = dataset.Data == DataSource.Diamonds ? DataSource.Diamonds : System.IO.Path.GetFullPath(dataset.Data, System.IO.Path.GetDirectoryName(Path)!),
        Target = dataset.Target,
        Order = dataset.Order,
        Ignore = dataset.Ignore ?? [],
        Categorical = dataset.Categorical ?? [],
        Rows = dataset.Rows,
        Task = dataset.Task == "rotation" ? "rotation" : null,
    };

    /// <summary>The training options of a loss's runs on a dataset for one seed: the loss's own learning rate and weight decay where it sets them (a tuned setting), else the suite's.</summary>
    public TrainOptions TrainOptions(SuiteDataset dataset, int seed, SuiteLoss loss) =>
        TrainOptions(dataset, seed) with
        {
            LearningRate = loss.LearningRate ?? Training.LearningRate,
            WeightDecay = loss.WeightDecay ?? Training.WeightDecay,
        };

    /// <summary>The training options of a dataset's runs for one seed.</summary>
    public TrainOptions TrainOptions(SuiteDataset dataset, int seed) => new()
    {
        Epochs = dataset.Epochs ?? Training.Epochs,
        Patience = dataset.Patience ?? Training.Patience,
        BatchSize = dataset.BatchSize ?? Training.BatchSize,
        LearningRate = Training.LearningRate,
        WeightDecay = Training.WeightDecay,
        Hidden = Training.Hidden,
        Dropout = Training.Dropout,
        Validation = Training.Validation,
        Test = Training.Test,
        Monitor = Training.Monitor,
        Seed = seed,
    };

    private void Check(string path, string option)
    {
        string where = $"{option} {path}";
        if (Seeds.Count == 0 || Seeds.Any(s => s < 0) || Seeds.Distinct().Count() != Seeds.Count)
        {
            throw new UserError($"{where}: 'seeds' must list at least one seed, each a whole number >= 0 and each once.");
        }
        if (!(Alpha > 0 && Alpha < 1))
        {
            throw new UserError($"{where}: 'alpha' must lie in (0, 1), not {Alpha.ToString(CultureInfo.InvariantCulture)}.");
        }
        if (Losses.Count < 2)
        {
            throw new UserError($"{where}: 'losses' must list the baseline and at least one more loss.");
        }
        if (Losses.FirstOrDefault(l => string.IsNullOrWhiteSpace(l.Label)) is not null)
        {
            throw new UserError($"{where}: every loss needs a 'label' (how tables and plots name it).");
        }
        if (Losses.GroupBy(l => l.Label, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } repeated)
        {
            throw new UserError($"{where}: the loss label '{repeated.Key}' appears {repeated.Count()} times; every loss needs its own label.");
        }
        if (!Losses.Any(l => l.Label == Baseline))
        {
            throw new UserError($"{where}: 'baseline' '{Baseline}' is not the label of a loss ({string.Join(", ", Losses.Select(l => l.Label))}).");
        }
        CheckMetrics(Metrics, $"{where}: 'metrics'");
        if (Multiplicity is not ("holm" or "bh"))
        {
            throw new UserError($"{where}: 'multiplicity' must be holm or bh, not '{Multiplicity}'.");
        }
        if (Primary.Count > 0)
        {
            CheckMetrics(Primary, $"{where}: 'primary'");
        }
        if (Datasets.Count == 0)
        {
            throw new UserError($"{where}: 'datasets' must list at least one dataset.");
        }
        if (Datasets.FirstOrDefault(d => string.IsNullOrWhiteSpace(d.Title)) is not null)
        {
            throw new UserError($"{where}: every dataset needs a 'title'.");
        }
        if (Datasets.GroupBy(d => d.Title, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new UserError($"{where}: the dataset title '{twice.Key}' appears {twice.Count()} times; every dataset needs its own title.");
        }
        var training = TrainOptions(Datasets[0], Seeds[0]);
        Wrap(where, "training", training.Check);
        foreach (var dataset in Datasets)
        {
            string at = $"{where}: dataset '{dataset.Title}'";
            if (dataset.Task is not ("csv" or "images" or "rotation"))
            {
                throw new UserError($"{at}: 'task' must be csv, images or rotation, not '{dataset.Task}'.");
            }
            if (string.IsNullOrWhiteSpace(dataset.Data))
            {
                throw new UserError($"{at}: 'data' must name a CSV file, a folder of IDX images (relative to the suite file) or diamonds.");
            }
            if (dataset.Task == "csv" && dataset.Target is null)
            {
                throw new UserError($"{at}: a csv task needs a 'target' column.");
            }
            if (dataset.Rows is int rows && rows < EarthMover.Training.TrainOptions.MinimumRows)
            {
                throw new UserError($"{at}: 'rows' must be at least {EarthMover.Training.TrainOptions.MinimumRows}, not {rows}.");
            }
            if (dataset.Metrics is { } own)
            {
                CheckMetrics(own, $"{at}: 'metrics'");
            }
            if (dataset.Pooled && Primary.FirstOrDefault(p => !MetricsOf(dataset).Contains(p)) is { } undeclared)
            {
                throw new UserError($"{at}: the primary endpoint '{undeclared}' is not among its metrics; declare it, or leave the dataset out of the pooled analysis (\"pooled\": false).");
            }
            foreach (var loss in Losses)
            {
                var options = TrainOptions(dataset, Seeds[0], loss);
                Wrap(at, $"loss '{loss.Label}'", () => options.Check(loss.Spec()));
            }
        }
    }

    /// <summary>Rows in the suite's order: dataset, then loss, then seed, each as the file lists them.</summary>
    public IEnumerable<RawRow> InOrder(IEnumerable<RawRow> rows)
    {
        var datasets = Datasets.Select((d, i) => (d.Title, i)).ToDictionary(p => p.Title, p => p.i, StringComparer.Ordinal);
        var losses = Losses.Select((l, i) => (l.Label, i)).ToDictionary(p => p.Label, p => p.i, StringComparer.Ordinal);
        return rows.OrderBy(r => datasets[r.Dataset]).ThenBy(r => losses[r.Loss]).ThenBy(r => Seeds.ToList().IndexOf(r.Seed));
    }

    /// <summary>Checks every file the suite reads exists (before the first of many trainings starts).</summary>
    public void CheckSources(string option = "--suite")
    {
        foreach (var dataset in Datasets)
        {
            string source = DataOptions(dataset).Source;
            bool csv = dataset.Task == "csv";
            if (csv ? Directory.Exists(source) : File.Exists(source))
            {
                throw new UserError($"{option} {System.IO.Path.GetFileName(Path)}: dataset '{dataset.Title}': task {dataset.Task}, but its data is {(csv ? "a folder (images are task images or rotation)" : "a file (images are read from a folder of IDX files)")}: {source}.");
            }
            if (!(csv ? source == DataSource.Diamonds || File.Exists(source) : Directory.Exists(source)))
            {
                throw new UserError($"{option} {System.IO.Path.GetFileName(Path)}: dataset '{dataset.Title}': {(dataset.Task == "csv" ? "the CSV file" : "the folder of IDX images")} {source} is missing (paths are relative to the suite file's folder).");
            }
        }
    }

    private static void CheckMetrics(IReadOnlyList<string> metrics, string where)
    {
        if (metrics.Count == 0)
        {
            throw new UserError($"{where} must name at least one metric ({string.Join(", ", MetricNames)}).");
        }
        if (metrics.FirstOrDefault(m => !MetricNames.Contains(m)) is { } unknown)
        {
            throw new UserError($"{where}: '{unknown}' is not a metric; choose from {string.Join(", ", MetricNames)}.");
        }
        if (metrics.Distinct().Count() != metrics.Count)
        {
            throw new UserError($"{where} names a metric twice.");
        }
    }

    // The program's checks speak of command-line options; in a suite file they are the file's fields.
    private static void Wrap(string where, string what, Action check)
    {
        try
        {
            check();
        }
        catch (UserError e)
        {
            throw new UserError($"{where}: {what}: {e.Message}");
        }
    }
}

/// <summary>The training settings of a suite (the options of train, with their defaults).</summary>
internal sealed record SuiteTraining
{
    public int Epochs { get; init; } = 20;

    public int Patience { get; init; } = 5;

    public int BatchSize { get; init; } = 256;

    public double LearningRate { get; init; } = 1e-3;

    public IReadOnlyList<int> Hidden { get; init; } = [128, 64];

    public double Dropout { get; init; } = 0.1;

    public double Validation { get; init; } = 0.15;

    public double Test { get; init; } = 0.15;

    public string Monitor { get; init; } = "rps";

    /// <summary>Adam's weight decay (L2 penalty), as train's --weight-decay.</summary>
    public double WeightDecay { get; init; }
}

/// <summary>A loss of a suite: a label for tables and plots, and the loss with its options (those of train).</summary>
internal sealed record SuiteLoss
{
    public string Label { get; init; } = "";

    public string Loss { get; init; } = "";

    public int? Warmup { get; init; }

    public double? Exponent { get; init; }

    public bool Root { get; init; }

    public IReadOnlyList<double>? Positions { get; init; }

    public double? Power { get; init; }

    public string? Distance { get; init; }

    public string? Learner { get; init; }

    public double? Alpha { get; init; }

    public double? Beta { get; init; }

    /// <summary>Train on Gaussian label distributions of this width (in class steps) around each class, as train's --soft-labels gaussian:SIGMA.</summary>
    public double? SoftLabels { get; init; }

    /// <summary>This loss's learning rate (its tuned value), else the suite's.</summary>
    public double? LearningRate { get; init; }

    /// <summary>This loss's weight decay (its tuned value), else the suite's.</summary>
    public double? WeightDecay { get; init; }

    /// <summary>The loss as the trainer takes it; its settings are checked (one line naming the label).</summary>
    public LossSpec Spec()
    {
        var spec = LossSpec.Parse(Loss, "'loss'") with
        {
            Warmup = Warmup,
            P = Exponent ?? LossDefaults.P,
            Root = Root,
            Positions = Positions,
            Power = Power ?? 1,
            Distance = Distance ?? "learned",
            Learner = Learner ?? "streaming",
            Alpha = Alpha ?? 1,
            Beta = Beta,
            SoftLabelSigma = SoftLabels,
        };
        spec.CheckOptions("'loss'");
        return spec;
    }
}

/// <summary>A dataset of a suite: where it is and how to read it, and what to compare on it.</summary>
internal sealed record SuiteDataset
{
    /// <summary>The dataset's title in the results (and its key in the raw results), e.g. "hpc_data: class".</summary>
    public string Title { get; init; } = "";

    /// <summary>csv (a CSV file, or diamonds), images (a folder of IDX images), rotation (the rotated-images task of such a folder).</summary>
    public string Task { get; init; } = "csv";

    /// <summary>A CSV file or a folder of IDX images, relative to the suite file's folder; or diamonds (embedded).</summary>
    public string Data { get; init; } = "";

    public string? Target { get; init; }

    public IReadOnlyList<string>? Order { get; init; }

    public IReadOnlyList<string>? Ignore { get; init; }

    public IReadOnlyList<string>? Categorical { get; init; }

    /// <summary>A seeded, stratified sample of this many rows (the same for every seed); all rows when absent.</summary>
    public int? Rows { get; init; }

    /// <summary>Epochs at most for this dataset (else the suite's).</summary>
    public int? Epochs { get; init; }

    /// <summary>Batch size for this dataset (else the suite's).</summary>
    public int? BatchSize { get; init; }

    /// <summary>Early-stopping patience for this dataset (else the suite's).</summary>
    public int? Patience { get; init; }

    /// <summary>The metrics compared on this dataset (else the suite's): e.g. only exact accuracy where the classes have no order.</summary>
    public IReadOnlyList<string>? Metrics { get; init; }

    /// <summary>One line for the results page: what the data is.</summary>
    public string Note { get; init; } = "";

    /// <summary>Whether the dataset enters the pooled (random-effects) estimates; false for a control that answers another question (the orderless classes).</summary>
    public bool Pooled { get; init; } = true;
}
