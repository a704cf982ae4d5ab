namespace EarthMover.Cli.Training;

/// <summary>What a finished training run produced.</summary>
internal sealed record TrainingResult(
    RunConfig Config,
    TrainingState State,
    IReadOnlyDictionary<OrdinalDecoder, OrdinalMetrics> Test,
    GroundDistance? Distance,
    IReadOnlyList<string> DataNotes);
