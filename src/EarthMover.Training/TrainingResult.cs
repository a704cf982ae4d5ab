namespace EarthMover.Training;

/// <summary>What a finished training run produced.</summary>
internal sealed record TrainingResult(
    RunConfig Config,
    TrainingState State,
    IReadOnlyDictionary<OrdinalDecoder, OrdinalMetrics> Test,
    GroundDistance? Distance,
    IReadOnlyList<string> DataNotes)
{
    /// <summary>NIMA's metrics on the test rows when the data has target distributions; null otherwise.</summary>
    public DistributionMetrics? TestDistribution { get; init; }

    /// <summary>The history row of the best epoch.</summary>
    public EpochRecord Best => State.History.First(h => h.Epoch == State.BestEpoch + 1);

    /// <summary>A warning if the best model predicts one class for at least 95% of the validation rows; null otherwise.</summary>
    public string? CollapseWarning =>
        Best.ValidationTopShare >= Trainer.CollapseShare
            ? $"warning: the best model (epoch {Best.Epoch}) predicts '{Config.ClassNames[Best.ValidationTopClass]}' for {Text.Percent(Best.ValidationTopShare)} of the validation rows: it has collapsed onto one class; its metrics say little about the features (try another loss, --monitor, --min-epochs or more epochs)."
            : null;
}
