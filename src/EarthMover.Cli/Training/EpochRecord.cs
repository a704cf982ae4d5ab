namespace EarthMover.Cli.Training;

/// <summary>One row of history.csv: what one epoch did.</summary>
internal sealed record EpochRecord(
    int Epoch,
    double TrainLoss,
    double ValidationLoss,
    double ValidationMae,
    double ValidationAccuracy,
    double ValidationQwk,
    double Seconds);
