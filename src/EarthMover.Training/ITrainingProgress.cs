namespace EarthMover.Training;

/// <summary>Where a training run reports its progress (a progress bar, plain lines, or nothing).</summary>
public interface ITrainingProgress
{
    /// <summary>Epoch <paramref name="epoch"/> (from 0) of at most <paramref name="epochs"/> begins.</summary>
    void EpochStarted(int epoch, int epochs, int batches);

    /// <summary>Batch <paramref name="batch"/> (from 1) is done; <paramref name="loss"/>: the epoch's mean loss so far.</summary>
    void BatchDone(int batch, double loss);

    /// <summary>An epoch is done and scored; <paramref name="best"/>: the best so far.</summary>
    void EpochDone(EpochRecord record, bool best);

    /// <summary>A line for the user (resuming, early stopping).</summary>
    void Message(string text);
}

/// <summary>Progress reported nowhere (quiet runs, comparisons, benchmarks).</summary>
internal sealed class NoProgress : ITrainingProgress
{
    public static readonly NoProgress Instance = new();

    public void EpochStarted(int epoch, int epochs, int batches)
    {
    }

    public void BatchDone(int batch, double loss)
    {
    }

    public void EpochDone(EpochRecord record, bool best)
    {
    }

    public void Message(string text)
    {
    }
}
