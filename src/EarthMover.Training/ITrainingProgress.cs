namespace EarthMover.Training;

/// <summary>Where a training run reports its progress (a progress bar, plain lines, or nothing).</summary>
public interface ITrainingProgress
{
    /// <summary>An epoch begins.</summary>
    /// <param name="epoch">The epoch, from 0.</param>
    /// <param name="epochs">The epochs the run may take at most.</param>
    /// <param name="batches">The training batches of the epoch.</param>
    void EpochStarted(int epoch, int epochs, int batches);

    /// <summary>A training batch is done.</summary>
    /// <param name="batch">Batches done in this epoch, from 1.</param>
    /// <param name="loss">The mean training loss of the epoch's batches so far.</param>
    void BatchDone(int batch, double loss);

    /// <summary>An epoch is done and scored on the validation rows (its checkpoint is written).</summary>
    /// <param name="record">What the epoch did.</param>
    /// <param name="best">Whether it is the best epoch so far (its model is the one kept).</param>
    void EpochDone(EpochRecord record, bool best);

    /// <summary>A line for the user: resuming, early stopping.</summary>
    /// <param name="text">The line.</param>
    void Message(string text);
}

/// <summary>Progress reported nowhere (quiet runs, comparisons, benchmarks).</summary>
public sealed class NoProgress : ITrainingProgress
{
    /// <summary>The one instance.</summary>
    public static readonly NoProgress Instance = new();

    /// <inheritdoc />
    public void EpochStarted(int epoch, int epochs, int batches)
    {
    }

    /// <inheritdoc />
    public void BatchDone(int batch, double loss)
    {
    }

    /// <inheritdoc />
    public void EpochDone(EpochRecord record, bool best)
    {
    }

    /// <inheritdoc />
    public void Message(string text)
    {
    }
}
