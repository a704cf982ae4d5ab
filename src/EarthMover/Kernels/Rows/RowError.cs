namespace EarthMover.Kernels;

/// <summary>
/// A bad value a CPU kernel found in a row as it read the batch (the shapes were checked before the call).
/// Workers return it instead of throwing on their own threads; the caller throws it as an
/// <see cref="ArgumentException"/> naming the parameter. The messages are those of every fused and row kernel.
/// </summary>
/// <param name="Parameter">The argument at fault: input or target.</param>
/// <param name="Message">What is wrong, naming the row.</param>
internal readonly record struct RowError(string Parameter, string Message)
{
    /// <summary>A row of logits holding NaN or infinity.</summary>
    public static RowError NonFiniteLogits(int row) => new("input", $"input row {row} holds NaN or infinite logits.");

    /// <summary>An input row, given as probabilities, that is not a distribution.</summary>
    public static RowError InputNotADistribution(int row) =>
        new("input", $"input row {row} is not a probability distribution: entries must be >= 0 and sum to 1 (within {LossValidation.DistributionTolerance}); pass logits with the default input type.");

    /// <summary>A target row that is not a distribution.</summary>
    public static RowError TargetNotADistribution(int row) =>
        new("target", $"target row {row} is not a probability distribution: entries must be >= 0 and sum to 1 (within {LossValidation.DistributionTolerance}).");

    /// <summary>A target class index outside [0, C).</summary>
    public static RowError NotAClass(int row, long index, int classes) =>
        new("target", $"target[{row}] = {index} is not a class index in [0, {classes}).");

    /// <summary>Throws <paramref name="error"/>, if there is one, as an <see cref="ArgumentException"/>.</summary>
    public static void ThrowIfAny(RowError? error)
    {
        if (error is { } e)
        {
            throw new ArgumentException(e.Message, e.Parameter);
        }
    }
}
