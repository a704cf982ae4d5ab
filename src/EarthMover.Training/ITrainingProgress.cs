namespace EarthMover.Training;

/// <summary>Where a training run reports its progress (a progress bar, plain lines, or nothing).</summary>
internal interface ITrainingProgress
{
    void EpochStarted(int epoch, int epochs, int batches);

    void BatchDone(int batch, double loss);

    void EpochDone(EpochRecord record, bool best);

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
