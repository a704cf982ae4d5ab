namespace EarthMover.Training;

/// <summary>Where a run stands between epochs: everything besides the weights that a resumed run needs.</summary>
internal sealed record TrainingState
{
    /// <summary>Epochs completed.</summary>
    public int Epoch { get; set; }

    public double BestScore { get; set; } = double.PositiveInfinity;

    public int BestEpoch { get; set; } = -1;

    /// <summary>Epochs since the best one.</summary>
    public int BadEpochs { get; set; }

    /// <summary>Whether early stopping ended the run (a resumed run with more epochs still stops there).</summary>
    public bool EarlyStopped { get; set; }

    public int ScheduleEpoch { get; set; }

    public double? ScheduleBeta { get; set; }

    public List<EpochRecord> History { get; set; } = [];
}
