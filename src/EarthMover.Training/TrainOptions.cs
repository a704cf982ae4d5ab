namespace EarthMover.Training;

/// <summary>How to train, as given on the command line (each property is the earthmover option of the same name, with its default).</summary>
public sealed record TrainOptions
{
    /// <summary>The fewest rows a run accepts (--rows): fewer cannot fill a training, a validation and a test split.</summary>
    public const int MinimumRows = 20;

    /// <summary>The most epochs a run may ask for (--epochs).</summary>
    public const int MaximumEpochs = 100_000;

    /// <summary>The largest batch (--batch-size).</summary>
    public const int MaximumBatchSize = 1 << 20;

    /// <summary>The widest hidden layer (--hidden).</summary>
    public const int MaximumWidth = 8192;

    /// <summary>The most parameters an MLP may have: with gradients and Adam's two moments, 16 bytes each (320 MB).</summary>
    public const long MaximumParameters = 20_000_000;

    /// <summary>The validation scores that can pick the best epoch (--monitor).</summary>
    public static readonly string[] Monitors = ["rps", "mae", "accuracy", "qwk", "loss", "brier"];

    /// <summary>Epochs at most (early stopping may end the run sooner).</summary>
    public int Epochs { get; init; } = 20;

    /// <summary>The first epoch (1-based) that may be chosen as the best; early stopping counts from there.</summary>
    public int MinEpochs { get; init; } = 1;

    /// <summary>Samples per Adam step (--batch-size).</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Adam's learning rate (--lr).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Adam's weight decay (--weight-decay).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Stop after this many epochs without improvement of the monitored validation score.</summary>
    public int Patience { get; init; } = 5;

    /// <summary>Hidden layer widths of the MLP (tabular data).</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [128, 64];

    /// <summary>Dropout after each hidden layer (in [0, 1)).</summary>
    public double Dropout { get; init; } = 0.1;

    /// <summary>The fraction of each class held out for validation.</summary>
    public double Validation { get; init; } = 0.15;

    /// <summary>The fraction of each class held out for the test metrics.</summary>
    public double Test { get; init; } = 0.15;

    /// <summary>The seed of the split, the initial weights, shuffling and dropout.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>"cpu", or "cuda" with a CUDA backend of TorchSharp.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>The validation score that picks the best epoch: rps (the default), mae, accuracy, qwk or loss.</summary>
    public string Monitor { get; init; } = "rps";

    /// <summary>How distributions become classes for the reported metrics: argmax, median or expectation.</summary>
    public OrdinalDecoder Decoder { get; init; } = OrdinalDecoder.Argmax;

    /// <summary>--threshold: the mean score from which a target distribution counts as high, for the binarised accuracy of distribution targets; null: the middle of the scale.</summary>
    public double? Threshold { get; init; }

    /// <summary>Checks every setting on its own (one line naming the option and its valid range).</summary>
    public void Check()
    {
        if (Epochs < 1 || Epochs > MaximumEpochs)
        {
            throw new UserError($"--epochs {Epochs}: it must be from 1 to {MaximumEpochs}.");
        }
        if (MinEpochs < 1 || MinEpochs > Epochs)
        {
            throw new UserError($"--min-epochs {MinEpochs}: it must be from 1 to --epochs ({Epochs}).");
        }
        if (BatchSize < 1 || BatchSize > MaximumBatchSize)
        {
            throw new UserError($"--batch-size {BatchSize}: it must be from 1 to {MaximumBatchSize}.");
        }
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
        {
            throw new UserError($"--lr {LearningRate}: it must be a finite number > 0.");
        }
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay))
        {
            throw new UserError($"--weight-decay {WeightDecay}: it must be a finite number >= 0.");
        }
        if (Patience < 1)
        {
            throw new UserError($"--patience {Patience}: it must be >= 1.");
        }
        if (Hidden.Count == 0 || Hidden.Any(h => h < 1 || h > MaximumWidth))
        {
            throw new UserError($"--hidden {string.Join(",", Hidden)}: each width must be from 1 to {MaximumWidth}.");
        }
        if (!(Dropout >= 0 && Dropout < 1))
        {
            throw new UserError($"--dropout {Dropout}: it must be in [0, 1).");
        }
        if (!(Validation > 0 && Validation < 1))
        {
            throw new UserError($"--validation {Validation}: it must be a fraction in (0, 1).");
        }
        if (!(Test > 0 && Test < 1))
        {
            throw new UserError($"--test {Test}: it must be a fraction in (0, 1).");
        }
        if (!(Validation + Test < 1))
        {
            throw new UserError($"--validation {Validation} and --test {Test}: together they must stay below 1, to leave rows for training.");
        }
        if (Seed < 0)
        {
            throw new UserError($"--seed {Seed}: it must be a whole number >= 0.");
        }
        if (Device is not ("cpu" or "cuda"))
        {
            throw new UserError($"--device: '{Device}' must be cpu or cuda.");
        }
        if (Threshold is double threshold && !double.IsFinite(threshold))
        {
            throw new UserError($"--threshold {threshold}: it must be a finite number.");
        }
        if (!Monitors.Contains(Monitor))
        {
            throw new UserError($"--monitor: '{Monitor}' must be one of {string.Join(", ", Monitors)}.");
        }
    }

    /// <summary>Checks the settings of a run together with its loss: the warm-up must leave epochs to choose the best from.</summary>
    public void Check(LossSpec loss)
    {
        Check();
        if (loss.HasWarmup && loss.WarmupEpochs >= Epochs)
        {
            throw new UserError($"--warmup {loss.WarmupEpochs}{(loss.Warmup is null ? $" (the default for {loss.Name})" : "")}: it must be less than --epochs ({Epochs}), so that the loss trains for at least one epoch.");
        }
    }

    /// <summary>The first epoch (0-based) that may be chosen as the best: after the warm-up and not before --min-epochs.</summary>
    public int FirstEligibleEpoch(LossSpec loss) => Math.Max(MinEpochs - 1, loss.HasWarmup ? loss.WarmupEpochs : 0);
}
