namespace EarthMover.Training;

/// <summary>What a finished training run produced: its history, the best epoch, and that epoch's metrics on the test rows.</summary>
public sealed record TrainingResult
{
    internal TrainingResult(
        RunConfig config,
        TrainingState state,
        IReadOnlyDictionary<OrdinalDecoder, OrdinalMetrics> test,
        GroundDistance? distance,
        IReadOnlyList<string> dataNotes)
    {
        Config = config;
        State = state;
        Test = test;
        Distance = distance;
        DataNotes = dataNotes;
    }

    internal RunConfig Config { get; }

    internal TrainingState State { get; }

    /// <summary>The best epoch's metrics on the test rows, for each way of decoding distributions into classes.</summary>
    public IReadOnlyDictionary<OrdinalDecoder, OrdinalMetrics> Test { get; }

    /// <summary>
    /// The method's own prediction rule in words (coral, logistic-at: thresholds passed; corn: conditional
    /// probabilities above 1/2; ecoc: the nearest code word), which gives the class instead of a decoder, so that
    /// every entry of <see cref="Test"/> is the same; null for the losses on C logits.
    /// </summary>
    public string? OwnRule => Methods.LossHeads.Rule(Config.Loss.Head);

    /// <summary>The ground distance the loss used at the end (learned or prior); null for losses without one.</summary>
    public GroundDistance? Distance { get; }

    /// <summary>What loading the data did (rows dropped, values imputed, columns used).</summary>
    public IReadOnlyList<string> DataNotes { get; }

    /// <summary>The classes, lowest first.</summary>
    public IReadOnlyList<string> Classes => Config.ClassNames;

    /// <summary>One record per epoch run, in order (a resumed run's include those before it stopped).</summary>
    public IReadOnlyList<EpochRecord> History => State.History;

    /// <summary>The epochs run.</summary>
    public int Epochs => State.Epoch;

    /// <summary>Whether the validation score stopped improving for <see cref="TrainOptions.Patience"/> epochs (at the last epoch, or before it).</summary>
    public bool EarlyStopped => State.EarlyStopped;

    /// <summary>
    /// The proper scores (mean ranked probability score, log loss and Brier score; <see cref="ProperScores"/>) of the
    /// best epoch's predicted distributions on the test rows: against the target distributions when the data has
    /// them, else against the true classes. They do not depend on the decoder. Unlike the mean EMD of
    /// <see cref="Test"/>, which is descriptive, these are what a claim about better predicted distributions rests on.
    /// </summary>
    public ProperScoreMeans TestScores { get; internal init; } = new(0, double.NaN, double.NaN, double.NaN);

    /// <summary>NIMA's metrics on the test rows when the data has target distributions; null otherwise.</summary>
    public DistributionMetrics? TestDistribution { get; internal init; }

    /// <summary>The history row of the best epoch.</summary>
    public EpochRecord Best => State.History.First(h => h.Epoch == State.BestEpoch + 1);

    /// <summary>A warning if the best model predicts one class for at least 95% of the validation rows; null otherwise.</summary>
    public string? CollapseWarning =>
        Best.ValidationTopShare >= Trainer.CollapseShare
            ? $"warning: the best model (epoch {Best.Epoch}) predicts '{Config.ClassNames[Best.ValidationTopClass]}' for {Text.Percent(Best.ValidationTopShare)} of the validation rows: it has collapsed onto one class; its metrics say little about the features (try another loss, --monitor, --min-epochs or more epochs)."
            : null;
}
