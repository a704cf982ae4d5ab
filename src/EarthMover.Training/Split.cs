using EarthMover.Training.Data;

namespace EarthMover.Training;

/// <summary>The rows of a dataset used for training, validation (early stopping) and test (the reported metrics).</summary>
/// <param name="Train">The rows the model is trained on.</param>
/// <param name="Validation">The rows that choose the best epoch and stop training early.</param>
/// <param name="Test">The rows the best epoch's metrics are reported on.</param>
public sealed record Split(int[] Train, int[] Validation, int[] Test)
{
    /// <summary>
    /// The program's split: seeded by <see cref="TrainOptions.Seed"/> and stratified, each class divided in the
    /// proportions <see cref="TrainOptions.Validation"/> and <see cref="TrainOptions.Test"/> (the rest trains).
    /// </summary>
    /// <param name="data">The samples.</param>
    /// <param name="options">The fractions and the seed.</param>
    public static Split Stratified(Dataset data, TrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var (train, validation, test) = Splits.TrainValidationTest(data.Labels, data.ClassNames.Length, options.Validation, options.Test, options.Seed);
        return new Split(train, validation, test);
    }
}
