using System.CommandLine;
using System.Globalization;
using EarthMover.Cli.Reports;
using EarthMover.Training.Data;

namespace EarthMover.Cli.Commands;

/// <summary>Every option of the program, each with its description and default, and how they become settings.</summary>
internal sealed class CommandOptions
{
    // Data
    public Option<string> Data { get; } = new("--data") { Description = "The data: 'diamonds' (embedded, the default), a CSV file, an IDX images file (with --labels), or a folder of IDX files (MNIST layout).", DefaultValueFactory = _ => DataSource.Diamonds };
    public Option<string?> Target { get; } = new("--target") { Description = "The CSV column holding the ordered classes (diamonds: cut)." };
    public Option<string?> TargetColumns { get; } = new("--target-columns") { Description = "Instead of --target: comma-separated CSV columns, one per class in order, holding counts or probabilities (e.g. votes per score); each row's target is its values divided by their sum. The class names are the column names." };
    public Option<string?> AggregateBy { get; } = new("--aggregate-by") { Description = "With --target: rows sharing this column's value become one sample whose target is the histogram of their --target classes (many raters per item); its features are those of the key's first row." };
    public Option<string?> Order { get; } = new("--order") { Description = "The classes in order, lowest first, comma-separated, e.g. \"Fair,Good,Very Good,Premium,Ideal\". Without it the target must be numeric." };
    public Option<string?> Ignore { get; } = new("--ignore") { Description = "Comma-separated columns that are not features (IDs, row numbers, other targets); \"\" leaves out every column without a name (R's write.csv row numbers), #N the N-th column." };
    public Option<string?> Categorical { get; } = new("--categorical") { Description = "Comma-separated columns to one-hot encode even if they hold numbers." };
    public Option<string> Missing { get; } = Choice("--missing", "Rows with a missing feature value (NA or empty), one policy for train, compare, evaluate and predict: drop leaves them out of training and of evaluate's metrics, and predict writes them with empty predictions; impute fills them in everywhere (numbers: the training mean; categories: '(missing)'). The number of rows dropped or imputed is printed and recorded with the run.", MissingValues.Drop);
    public Option<int?> Rows { get; } = new("--rows") { Description = $"Use a seeded, stratified sample of this many rows (at least {Training.TrainOptions.MinimumRows})." };
    public Option<string?> Labels { get; } = new("--labels") { Description = "The labels IDX file, when --data is an images IDX file." };
    public Option<string?> Task { get; } = new("--task") { Description = "'rotation': images rotated by an angle in [-60°, 60°], labelled by its bin of 9 (an ordinal task from real images).", HelpName = "rotation" };
    public Option<string?> ClassNames { get; } = new("--class-names") { Description = "Comma-separated class names for image data (one per label, in label order)." };
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed (>= 0) of the split, the initial weights, shuffling and dropout.", DefaultValueFactory = _ => 1 };

    // Data, continued: CSV dialects, binned targets, and the options of evaluate and predict that read new
    // files. Each value is checked where it is read (ReadData, ReadPredict), before anything is created.
    public Option<string?> Delimiter { get; } = new("--delimiter") { Description = "The CSV delimiter: , ; tab or | (default: detected from the first lines of the file)." };
    public Option<string?> Encoding { get; } = new("--encoding") { Description = "The CSV file's text encoding: utf-8 (the default; a byte-order mark wins), latin1 or windows-1252." };
    public Option<int?> Bins { get; } = new("--bins") { Description = $"Cut a numeric target into this many ordered classes (2 to {TargetSchema.MaxBins}); the edges are stored with the run and reused by evaluate and predict." };
    public Option<string> Binning { get; } = new("--binning") { Description = "How --bins cuts the target: quantile (classes of about equal counts) or width (intervals of equal width).", DefaultValueFactory = _ => "quantile" };
    public Option<string?> Id { get; } = new("--id") { Description = "The column that identifies each row in the output (default: the row number, the first data row being 1)." };
    public Option<string?> PredictDecoder { get; } = new("--decoder") { Description = "How distributions become classes: argmax, median or expectation (default: the run's --decoder)." };

    // Loss
    public Option<string> Loss { get; } = new("--loss") { Description = "The training loss, with an ordinal method's parameters after colons (cdw-ce:alpha=2, sord:alpha=2:distance=squared); `earthmover losses` lists every loss, its parameters, one line and the paper.", HelpName = string.Join('|', LossSpec.Names), DefaultValueFactory = _ => "emd2" };
    public Option<double> Exponent { get; } = new("--exponent") { Description = "emd2: the exponent l (>= 1) of the CDF differences (2: the paper's EMD²).", DefaultValueFactory = _ => LossDefaults.P };
    public Option<bool> Root { get; } = new("--root") { Description = "emd2: take the l-th root per sample (NIMA's EMD)." };
    public Option<string?> Positions { get; } = new("--positions") { Description = "Class positions, comma-separated and increasing, one per class (default 0, 1, ..., C-1): the spacing of emd2, and the ground distance of gd-emd and prior xemd." };
    public Option<double> Power { get; } = new("--power") { Description = "gd-emd and prior xemd: ground distance |xi - xj|^power, power > 0 (1: W1, 2: W2²).", DefaultValueFactory = _ => 1.0 };
    public Option<string?> Distance { get; } = new("--distance") { Description = "xemd, emd, sinkhorn and tree: 'learned' from the network's features, or 'prior' from --positions (|xi - xj|^power; for tree the chain over the ordered classes). Default: learned for xemd and tree, prior for emd and sinkhorn.", HelpName = "learned|prior" };
    public Option<double> Epsilon { get; } = new("--epsilon") { Description = "sinkhorn: the entropic regularisation (> 0), in the units of the ground distance.", DefaultValueFactory = _ => LossSpec.DefaultEpsilon };
    public Option<string?> SoftLabels { get; } = new("--soft-labels") { Description = "Train on label distributions made from the class labels: gaussian:SIGMA, a discretised Gaussian of width SIGMA (> 0, in class steps) around each class (DLDL), or any other shape of the soft-label family as --loss names it (sord:alpha=2, binomial, triangular:alpha2=0.1, ...). Losses: ce, emd2, emd, sinkhorn, tree (--loss ce --soft-labels S trains what --loss S trains). The reported metrics stay those of the class labels.", HelpName = "gaussian:SIGMA|SHAPE" };
    public Option<string> Learner { get; } = new("--learner") { Description = "xemd with a learned distance: 'streaming' (features of the training passes) or 'paper' (a full pass after each epoch).", HelpName = "streaming|paper", DefaultValueFactory = _ => "streaming" };
    public Option<int?> Warmup { get; } = new("--warmup") { Description = "Epochs of cross-entropy alone before the loss joins it, 0 <= W < --epochs (default: 2 with a learned distance (xemd, tree), 0 otherwise); the best epoch is chosen after it." };
    public Option<double> Alpha { get; } = new("--alpha") { Description = "Weight (>= 0) of cross-entropy after the warm-up.", DefaultValueFactory = _ => 1.0 };
    public Option<double?> Beta { get; } = new("--beta") { Description = "Weight (>= 0) of the loss after the warm-up (default: set so that beta·mean(loss) = mean(CE)/3.5 at the end of the warm-up)." };

    // Training
    public Option<int> Epochs { get; } = new("--epochs") { Description = $"Epochs at most (1 to {Training.TrainOptions.MaximumEpochs}).", DefaultValueFactory = _ => 20 };
    public Option<int> MinEpochs { get; } = new("--min-epochs") { Description = "The best epoch is chosen from this epoch on (1 to --epochs); early stopping starts counting there.", DefaultValueFactory = _ => 1 };
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = $"Samples per batch (1 to {Training.TrainOptions.MaximumBatchSize}).", DefaultValueFactory = _ => 256 };
    public Option<double> LearningRate { get; } = new("--lr") { Description = "Adam's learning rate (> 0).", DefaultValueFactory = _ => 1e-3 };
    public Option<double> WeightDecay { get; } = new("--weight-decay") { Description = "Adam's weight decay (>= 0).", DefaultValueFactory = _ => 0.0 };
    public Option<int> Patience { get; } = new("--patience") { Description = "Stop after this many epochs (>= 1) without a better validation score.", DefaultValueFactory = _ => 5 };
    public Option<string> Hidden { get; } = new("--hidden") { Description = $"Hidden layer widths of the MLP (tabular data), comma-separated, each 1 to {Training.TrainOptions.MaximumWidth}; at most {Training.TrainOptions.MaximumParameters / 1_000_000} million parameters in all.", DefaultValueFactory = _ => "128,64" };
    public Option<double> Dropout { get; } = new("--dropout") { Description = "Dropout after each hidden layer, in [0, 1).", DefaultValueFactory = _ => 0.1 };
    public Option<double> Validation { get; } = new("--validation") { Description = "Fraction of each class held out for validation (early stopping), in (0, 1); with --test below 1.", DefaultValueFactory = _ => 0.15 };
    public Option<double> Test { get; } = new("--test") { Description = "Fraction of each class held out for the reported test metrics, in (0, 1); with --validation below 1.", DefaultValueFactory = _ => 0.15 };
    public Option<string> Device { get; } = new("--device") { Description = "Where to train.", HelpName = "cpu|cuda", DefaultValueFactory = _ => "cpu" };
    public Option<string> Monitor { get; } = new("--monitor") { Description = "The validation score that picks the best epoch: rps (ranked probability score of the predicted distributions, lower is better), mae, accuracy, qwk, loss (cross-entropy; MSE for regression), or brier (the multi-class Brier score of the predicted distributions, lower is better: a proper score no loss trains on).", HelpName = string.Join('|', Training.TrainOptions.Monitors), DefaultValueFactory = _ => "rps" };
    public Option<string> Decoder { get; } = Choice("--decoder", "How distributions become classes in the reported metrics.", OrdinalDecoder.Argmax);
    public Option<double?> Threshold { get; } = new("--threshold") { Description = "Distribution targets: the mean score (in class positions) from which a distribution counts as high, for the binarised accuracy (default: the middle of the scale)." };
    public Option<string?> Output { get; } = new("--output", "-o") { Description = "The run folder (default runs/<data>-<target>-<loss>-s<seed>, numbered -2, -3, ... when that holds an earlier run); it must be new or empty, unless --force or --resume." };
    public Option<bool> Force { get; } = new("--force") { Description = "Replace the output folder if it holds an earlier run (it is deleted once every check has passed)." };
    public Option<bool> Resume { get; } = new("--resume") { Description = "Continue the run in --output from its last checkpoint, with its own settings (only --epochs may change)." };
    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "No progress output." };

    // Global
    public Option<int?> Threads { get; } = ThreadsOption();

    private static Option<int?> ThreadsOption() =>
        new("--threads")
        {
            Description = "CPU threads for libtorch and the losses (default: one per physical core). Fewer leave room for other work on a shared machine.",
            Recursive = true,
            // The range is checked in the parser: a validator would read the value even when it did not parse.
            CustomParser = result =>
            {
                if (NumberOptions.Whole(result) is not int threads)
                {
                    return null;
                }
                if (threads < 1)
                {
                    result.AddError("--threads must be at least 1.");
                    return null;
                }
                return threads;
            },
        };

    public IEnumerable<Option> DataOptions() => [Data, Target, TargetColumns, AggregateBy, Order, Ignore, Categorical, Missing, Rows, Labels, Task, ClassNames, Seed, Delimiter, Encoding, Bins, Binning];

    /// <summary>The options of evaluate and predict for reading a new CSV file.</summary>
    public IEnumerable<Option> DialectOptions() => [Delimiter, Encoding];

    public IEnumerable<Option> LossOptions() => [Loss, Exponent, Root, Positions, Power, Distance, Epsilon, SoftLabels, Learner, Warmup, Alpha, Beta];

    public IEnumerable<Option> TrainOptions() => [Epochs, MinEpochs, BatchSize, LearningRate, WeightDecay, Patience, Hidden, Dropout, Validation, Test, Device, Monitor, Decoder, Threshold, Quiet];

    public DataOptions ReadData(ParseResult result)
    {
        var data = new DataOptions
        {
            Source = result.GetValue(Data)!,
            Target = result.GetValue(Target),
            TargetColumns = Distinct(List(result.GetValue(TargetColumns)), "--target-columns"),
            AggregateBy = result.GetValue(AggregateBy),
            Order = List(result.GetValue(Order)),
            Ignore = Distinct(result.GetValue(Ignore) is "" ? [""] : List(result.GetValue(Ignore)), "--ignore") ?? [],
            Categorical = Distinct(List(result.GetValue(Categorical)), "--categorical") ?? [],
            Missing = Parse<MissingValues>(result.GetValue(Missing)!, "--missing"),
            Rows = result.GetValue(Rows),
            Labels = result.GetValue(Labels),
            Task = result.GetValue(Task),
            ClassNames = List(result.GetValue(ClassNames)),
            Seed = result.GetValue(Seed),
            Delimiter = ReadDelimiter(result),
            Encoding = ReadEncoding(result),
            Bins = ReadBins(result),
            Binning = ReadBinning(result),
        };
        data.CheckTargets();
        if (data.Rows is int rows && rows < Training.TrainOptions.MinimumRows)
        {
            throw new UserError($"--rows {rows}: take at least {Training.TrainOptions.MinimumRows} rows.");
        }
        return data;
    }

    /// <summary>--delimiter, checked (, ; tab |).</summary>
    public string? ReadDelimiter(ParseResult result)
    {
        string? text = result.GetValue(Delimiter);
        CsvDialect.ParseDelimiter(text);
        return text;
    }

    /// <summary>--encoding, checked and normalised; null when not given.</summary>
    public string? ReadEncoding(ParseResult result) =>
        result.GetValue(Encoding) is { } text ? CsvDialect.ParseEncoding(text) : null;

    /// <summary>predict's --decoder, checked; null: the run's decoder.</summary>
    public OrdinalDecoder? ReadPredictDecoder(ParseResult result) => result.GetValue(PredictDecoder) switch
    {
        null => null,
        "argmax" => OrdinalDecoder.Argmax,
        "median" => OrdinalDecoder.Median,
        "expectation" => OrdinalDecoder.Expectation,
        var other => throw new UserError($"--decoder: '{other}' must be argmax, median or expectation."),
    };

    private int? ReadBins(ParseResult result) => result.GetValue(Bins) switch
    {
        null => null,
        int k when k >= 2 && k <= TargetSchema.MaxBins => k,
        int k => throw new UserError($"--bins {k}: it must be between 2 and {TargetSchema.MaxBins}."),
    };

    private string ReadBinning(ParseResult result)
    {
        string binning = result.GetValue(Binning)!;
        if (!TargetSchema.Binnings.Contains(binning))
        {
            throw new UserError($"--binning: '{binning}' must be {string.Join(" or ", TargetSchema.Binnings)}.");
        }
        if (result.GetResult(Binning) is { Implicit: false } && result.GetValue(Bins) is null)
        {
            throw new UserError("--binning says how --bins cuts the target; give --bins too.");
        }
        return binning;
    }

    public LossSpec ReadLoss(ParseResult result, string? name = null, string option = "--loss")
    {
        name ??= result.GetValue(Loss)!;
        var soft = result.GetValue(SoftLabels) is { } softText ? Training.SoftLabels.Parse(softText) : (null, null);
        var loss = LossSpec.Parse(name, option) with
        {
            P = result.GetValue(Exponent),
            Root = result.GetValue(Root),
            Positions = Numbers(result.GetValue(Positions), "--positions"),
            Power = result.GetValue(Power),
            Distance = result.GetValue(Distance) ?? LossSpec.DefaultDistance(LossSpec.Parse(name, option).Name),
            Epsilon = result.GetValue(Epsilon),
            SoftLabelSigma = soft.Sigma,
            SoftLabelShapeName = soft.Shape,
            Learner = result.GetValue(Learner)!,
            Warmup = result.GetValue(Warmup),
            Alpha = result.GetValue(Alpha),
            Beta = result.GetValue(Beta),
        };
        loss.CheckOptions(option);
        return loss;
    }

    public TrainOptions ReadTrain(ParseResult result, int? seed = null)
    {
        var train = new TrainOptions
        {
            Epochs = result.GetValue(Epochs),
            MinEpochs = result.GetValue(MinEpochs),
            BatchSize = result.GetValue(BatchSize),
            LearningRate = result.GetValue(LearningRate),
            WeightDecay = result.GetValue(WeightDecay),
            Patience = result.GetValue(Patience),
            Hidden = Widths(result.GetValue(Hidden)!),
            Dropout = result.GetValue(Dropout),
            Validation = result.GetValue(Validation),
            Test = result.GetValue(Test),
            Seed = seed ?? result.GetValue(Seed),
            Device = result.GetValue(Device)!,
            Monitor = result.GetValue(Monitor)!,
            Decoder = ReadDecoder(result),
            Threshold = result.GetValue(Threshold),
        };
        train.Check();
        return train;
    }

    public OrdinalDecoder ReadDecoder(ParseResult result) => Parse<OrdinalDecoder>(result.GetValue(Decoder)!, "--decoder");

    /// <summary>
    /// The output folder of a new run: writable, and free unless --force (checked now; replaced only once every
    /// other check has passed). Without --output the default is numbered (runs/compare-2, ...) when it holds an
    /// earlier run, so that the same command can simply be run again; --force replaces the default itself.
    /// </summary>
    public RunFolder ReadOutput(ParseResult result, Option<string?> output, string defaultPath)
    {
        string path = result.GetValue(output) ?? (result.GetValue(Force) ? defaultPath : RunFolder.NextFree(defaultPath));
        var folder = new RunFolder(path, output.Name);
        folder.CheckFree(result.GetValue(Force));
        return folder;
    }

    /// <summary>Whether the user gave <paramref name="option"/> on the command line (rather than taking its default).</summary>
    public static bool Given(ParseResult result, Option option) => result.GetResult(option) is { Implicit: false };

    public static IReadOnlyList<string>? List(string? text) =>
        text is null ? null : text.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();

    public static IReadOnlyList<double>? Numbers(string? text, string option) =>
        List(text)?.Select(s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? double.IsFinite(v) ? v : throw new UserError($"{option}: '{s}' is not a finite number.")
            : throw new UserError($"{option}: '{s}' is not a number.")).ToArray();

    /// <summary>Comma-separated whole numbers >= 0, each at most once (seeds).</summary>
    public static IReadOnlyList<int> Seeds(string? text, string option) =>
        Distinct(List(text)?.Select(s => NonNegative(s, option)).ToArray(), option) ?? [];

    /// <summary>A whole number >= 0 typed in a list or a compound value; the error says whether it is too large, negative or not a whole number.</summary>
    public static int NonNegative(string text, string option)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            return value;
        }
        throw new UserError(System.Numerics.BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big)
            ? big < 0 ? $"{option}: {text} is negative; give a whole number >= 0." : $"{option}: {text} is too large (at most {int.MaxValue})."
            : $"{option}: '{text}' is not a whole number >= 0.");
    }

    /// <summary>Refuses a list that names something twice (it would run or count it twice).</summary>
    public static IReadOnlyList<T>? Distinct<T>(IReadOnlyList<T>? items, string option)
    {
        var twice = items?.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        return twice is { Length: > 0 }
            ? throw new UserError($"{option} names {string.Join(", ", twice)} more than once.")
            : items;
    }

    /// <summary>An enum's value from its name as the user types it (lower case).</summary>
    public static T Parse<T>(string text, string option)
        where T : struct, Enum
    {
        foreach (var value in Enum.GetValues<T>())
        {
            if (string.Equals(Lower(value), text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        var names = Enum.GetValues<T>().Select(Lower).ToArray();
        throw new UserError($"{option}: '{text}' must be {string.Join(", ", names[..^1])} or {names[^1]}.");
    }

    /// <summary>An enum value as the user types it.</summary>
    public static string Lower<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    // An option whose values are an enum's names in lower case; a string option, so that help and messages show them as typed.
    private static Option<string> Choice<T>(string name, string description, T defaultValue)
        where T : struct, Enum =>
        new(name) { Description = description, HelpName = string.Join('|', Enum.GetValues<T>().Select(Lower)), DefaultValueFactory = _ => Lower(defaultValue) };

    private static int[] Widths(string text)
    {
        var widths = List(text)!.Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int w) && w >= 1 && w <= Training.TrainOptions.MaximumWidth
            ? w
            : throw new UserError($"--hidden: '{s}' is not a layer width (a whole number from 1 to {Training.TrainOptions.MaximumWidth}).")).ToArray();
        return widths.Length > 0 ? widths : throw new UserError("--hidden: give one or more layer widths, e.g. 128,64.");
    }
}
