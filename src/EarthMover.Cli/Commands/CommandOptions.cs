using System.CommandLine;
using System.Globalization;
using EarthMover.Cli.Data;
using EarthMover.Cli.Training;

namespace EarthMover.Cli.Commands;

/// <summary>Every option of the program, each with its description and default, and how they become settings.</summary>
internal sealed class CommandOptions
{
    // Data
    public Option<string> Data { get; } = new("--data") { Description = "The data: 'diamonds' (embedded, the default), a CSV file, an IDX images file (with --labels), or a folder of IDX files (MNIST layout).", DefaultValueFactory = _ => DataSource.Diamonds };
    public Option<string?> Target { get; } = new("--target") { Description = "The CSV column holding the ordered classes (diamonds: cut)." };
    public Option<string?> Order { get; } = new("--order") { Description = "The classes in order, lowest first, comma-separated, e.g. \"Fair,Good,Very Good,Premium,Ideal\". Without it the target must be numeric." };
    public Option<string?> Ignore { get; } = new("--ignore") { Description = "Comma-separated columns that are not features." };
    public Option<string?> Categorical { get; } = new("--categorical") { Description = "Comma-separated columns to one-hot encode even if they hold numbers." };
    public Option<MissingValues> Missing { get; } = new("--missing") { Description = "Rows with missing feature values (NA or empty): drop them, or impute (training mean; category '(missing)').", DefaultValueFactory = _ => MissingValues.Drop };
    public Option<int?> Rows { get; } = new("--rows") { Description = "Use a seeded, stratified sample of this many rows." };
    public Option<string?> Labels { get; } = new("--labels") { Description = "The labels IDX file, when --data is an images IDX file." };
    public Option<string?> Task { get; } = new("--task") { Description = "'rotation': images rotated by an angle in [-60°, 60°], labelled by its bin of 9 (an ordinal task from real images)." };
    public Option<string?> ClassNames { get; } = new("--class-names") { Description = "Comma-separated class names for image data." };
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of the split, the initial weights, shuffling and dropout.", DefaultValueFactory = _ => 1 };

    // Loss
    public Option<string> Loss { get; } = new("--loss") { Description = $"The training loss: {string.Join(", ", LossSpec.Names)}.", DefaultValueFactory = _ => "emd2" };
    public Option<double> Exponent { get; } = new("--exponent") { Description = "emd2: the exponent l of the CDF differences (2: the paper's EMD²).", DefaultValueFactory = _ => LossDefaults.Exponent };
    public Option<bool> Root { get; } = new("--root") { Description = "emd2: take the l-th root per sample (NIMA's EMD)." };
    public Option<string?> Positions { get; } = new("--positions") { Description = "Class positions, comma-separated and increasing (default 0, 1, ..., C-1): the spacing of emd2, and the ground distance of gd-emd and prior xemd." };
    public Option<double> Power { get; } = new("--power") { Description = "gd-emd and prior xemd: ground distance |xi - xj|^power (1: W1, 2: W2²).", DefaultValueFactory = _ => 1.0 };
    public Option<string> Distance { get; } = new("--distance") { Description = "xemd: 'learned' from the network's features, or 'prior' from --positions.", DefaultValueFactory = _ => "learned" };
    public Option<string> Learner { get; } = new("--learner") { Description = "xemd with a learned distance: 'streaming' (features of the training passes) or 'paper' (a full pass after each epoch).", DefaultValueFactory = _ => "streaming" };
    public Option<int?> Warmup { get; } = new("--warmup") { Description = "Epochs of cross-entropy alone before the loss joins it (default: 2 for xemd, 0 otherwise)." };
    public Option<double> Alpha { get; } = new("--alpha") { Description = "Weight of cross-entropy after the warm-up.", DefaultValueFactory = _ => 1.0 };
    public Option<double?> Beta { get; } = new("--beta") { Description = "Weight of the loss after the warm-up (default: set so that beta·mean(loss) = mean(CE)/3.5 at the end of the warm-up)." };

    // Training
    public Option<int> Epochs { get; } = new("--epochs") { Description = "Epochs at most.", DefaultValueFactory = _ => 20 };
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Samples per batch.", DefaultValueFactory = _ => 256 };
    public Option<double> LearningRate { get; } = new("--lr") { Description = "Adam's learning rate.", DefaultValueFactory = _ => 1e-3 };
    public Option<double> WeightDecay { get; } = new("--weight-decay") { Description = "Adam's weight decay.", DefaultValueFactory = _ => 0.0 };
    public Option<int> Patience { get; } = new("--patience") { Description = "Stop after this many epochs without a better validation score.", DefaultValueFactory = _ => 5 };
    public Option<string> Hidden { get; } = new("--hidden") { Description = "Hidden layer widths of the MLP, comma-separated.", DefaultValueFactory = _ => "128,64" };
    public Option<double> Dropout { get; } = new("--dropout") { Description = "Dropout after each hidden layer.", DefaultValueFactory = _ => 0.1 };
    public Option<double> Validation { get; } = new("--validation") { Description = "Fraction of each class held out for validation (early stopping).", DefaultValueFactory = _ => 0.15 };
    public Option<double> Test { get; } = new("--test") { Description = "Fraction of each class held out for the reported test metrics.", DefaultValueFactory = _ => 0.15 };
    public Option<string> Device { get; } = new("--device") { Description = "cpu or cuda.", DefaultValueFactory = _ => "cpu" };
    public Option<string> Monitor { get; } = new("--monitor") { Description = "The validation metric that picks the best epoch: mae, accuracy, qwk or loss.", DefaultValueFactory = _ => "mae" };
    public Option<OrdinalDecoder> Decoder { get; } = new("--decoder") { Description = "How distributions become classes in the reported metrics: argmax, median or expectation.", DefaultValueFactory = _ => OrdinalDecoder.Argmax };
    public Option<string?> Output { get; } = new("--output", "-o") { Description = "The run folder (default runs/<data>-<loss>-s<seed>)." };
    public Option<bool> Resume { get; } = new("--resume") { Description = "Continue the run in --output from its last checkpoint." };
    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "No progress output." };

    // Global
    public Option<int?> Threads { get; } = ThreadsOption();

    private static Option<int?> ThreadsOption()
    {
        var option = new Option<int?>("--threads") { Description = "CPU threads for libtorch and the losses (default: one per physical core). Fewer leave room for other work on a shared machine.", Recursive = true };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError("--threads must be at least 1.");
            }
        });
        return option;
    }

    public IEnumerable<Option> DataOptions() => [Data, Target, Order, Ignore, Categorical, Missing, Rows, Labels, Task, ClassNames, Seed];

    public IEnumerable<Option> LossOptions() => [Loss, Exponent, Root, Positions, Power, Distance, Learner, Warmup, Alpha, Beta];

    public IEnumerable<Option> TrainOptions() => [Epochs, BatchSize, LearningRate, WeightDecay, Patience, Hidden, Dropout, Validation, Test, Device, Monitor, Decoder, Quiet];

    public DataOptions ReadData(ParseResult result) => new()
    {
        Source = result.GetValue(Data)!,
        Target = result.GetValue(Target),
        Order = List(result.GetValue(Order)),
        Ignore = List(result.GetValue(Ignore)) ?? [],
        Categorical = List(result.GetValue(Categorical)) ?? [],
        Missing = result.GetValue(Missing),
        Rows = result.GetValue(Rows),
        Labels = result.GetValue(Labels),
        Task = result.GetValue(Task),
        ClassNames = List(result.GetValue(ClassNames)),
        Seed = result.GetValue(Seed),
    };

    public LossSpec ReadLoss(ParseResult result, string? name = null) => new()
    {
        Name = name ?? result.GetValue(Loss)!,
        Exponent = result.GetValue(Exponent),
        Root = result.GetValue(Root),
        Positions = Numbers(result.GetValue(Positions), "--positions"),
        Power = result.GetValue(Power),
        Distance = result.GetValue(Distance)!,
        Learner = result.GetValue(Learner)!,
        Warmup = result.GetValue(Warmup),
        Alpha = result.GetValue(Alpha),
        Beta = result.GetValue(Beta),
    };

    public TrainOptions ReadTrain(ParseResult result, int? seed = null) => new()
    {
        Epochs = result.GetValue(Epochs),
        BatchSize = result.GetValue(BatchSize),
        LearningRate = result.GetValue(LearningRate),
        WeightDecay = result.GetValue(WeightDecay),
        Patience = result.GetValue(Patience),
        Hidden = Numbers(result.GetValue(Hidden), "--hidden")!.Select(h => h == Math.Floor(h) && h >= 1 ? (int)h : throw new UserError($"--hidden: '{h}' is not a layer width.")).ToArray(),
        Dropout = result.GetValue(Dropout),
        Validation = result.GetValue(Validation),
        Test = result.GetValue(Test),
        Seed = seed ?? result.GetValue(Seed),
        Device = result.GetValue(Device)!,
        Monitor = result.GetValue(Monitor)!,
        Decoder = result.GetValue(Decoder),
    };

    public static IReadOnlyList<string>? List(string? text) =>
        text is null ? null : text.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();

    public static IReadOnlyList<double>? Numbers(string? text, string option) =>
        List(text)?.Select(s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? v
            : throw new UserError($"{option}: '{s}' is not a number.")).ToArray();
}
