namespace EarthMover.Training;

/// <summary>The rows of a dataset used for training, validation (early stopping) and test (the reported metrics).</summary>
internal sealed record Split(int[] Train, int[] Validation, int[] Test);
