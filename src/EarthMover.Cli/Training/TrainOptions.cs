namespace EarthMover.Cli.Training;

/// <summary>How to train, as given on the command line.</summary>
internal sealed record TrainOptions
{
    public int Epochs { get; init; } = 20;

    public int BatchSize { get; init; } = 256;

    public double LearningRate { get; init; } = 1e-3;

    public double WeightDecay { get; init; }

    /// <summary>Stop after this many epochs without improvement of the monitored validation metric.</summary>
    public int Patience { get; init; } = 5;

    /// <summary>Hidden layer widths of the MLP (tabular data).</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [128, 64];

    public double Dropout { get; init; } = 0.1;

    public double Validation { get; init; } = 0.15;

    public double Test { get; init; } = 0.15;

    public int Seed { get; init; } = 1;

    public string Device { get; init; } = "cpu";

    /// <summary>The validation metric that picks the best epoch: mae, accuracy, qwk or loss.</summary>
    public string Monitor { get; init; } = "mae";

    /// <summary>How distributions become classes for the reported metrics: argmax, median or expectation.</summary>
    public OrdinalDecoder Decoder { get; init; } = OrdinalDecoder.Argmax;

    public void Check()
    {
        if (Epochs < 1)
        {
            throw new UserError($"--epochs {Epochs}: train at least 1 epoch.");
        }
        if (BatchSize < 1)
        {
            throw new UserError($"--batch-size {BatchSize}: it must be >= 1.");
        }
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
        {
            throw new UserError($"--lr {LearningRate}: it must be a positive number.");
        }
        if (Patience < 1)
        {
            throw new UserError($"--patience {Patience}: it must be >= 1.");
        }
        if (!(Dropout >= 0 && Dropout < 1))
        {
            throw new UserError($"--dropout {Dropout}: it must be in [0, 1).");
        }
        if (Monitor is not ("mae" or "accuracy" or "qwk" or "loss"))
        {
            throw new UserError($"--monitor: '{Monitor}' must be mae, accuracy, qwk or loss.");
        }
        if (Device is not ("cpu" or "cuda"))
        {
            throw new UserError($"--device: '{Device}' must be cpu or cuda.");
        }
    }
}
