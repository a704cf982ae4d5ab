namespace EarthMover.Training;

/// <summary>One row of history.csv: what one epoch did.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="TrainLoss">The mean training loss of its batches.</param>
/// <param name="ValidationLoss">Validation cross-entropy (mean squared error for regression).</param>
/// <param name="ValidationMae">Validation MAE of the decoded classes.</param>
/// <param name="ValidationAccuracy">Validation exact accuracy.</param>
/// <param name="ValidationQwk">Validation quadratic weighted kappa.</param>
/// <param name="Seconds">Wall time of the epoch.</param>
/// <param name="ValidationRps">Validation ranked probability score of the predicted distributions.</param>
/// <param name="ValidationTopShare">The share of validation rows predicted as the most predicted class (1: a collapsed model).</param>
/// <param name="ValidationTopClass">That class.</param>
/// <param name="Eligible">Whether the epoch could be chosen as the best (after the warm-up and --min-epochs).</param>
/// <param name="ValidationBrier">Validation multi-class Brier score of the predicted distributions (<see cref="ProperScores.BrierScore(System.ReadOnlySpan{double}, int)"/>, averaged): a proper score that no loss of the program trains on.</param>
public sealed record EpochRecord(
    int Epoch,
    double TrainLoss,
    double ValidationLoss,
    double ValidationMae,
    double ValidationAccuracy,
    double ValidationQwk,
    double Seconds,
    double ValidationRps = double.NaN,
    double ValidationTopShare = double.NaN,
    int ValidationTopClass = 0,
    bool Eligible = true,
    double ValidationBrier = double.NaN);
