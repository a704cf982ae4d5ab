using EarthMover.Tests.Support;

namespace EarthMover.Tests.Scores;

/// <summary>The values reference/scores.py computed with scikit-learn, SciPy and NumPy.</summary>
internal sealed record ScoresFile(double Epsilon, List<HardScoresCase> Hard, List<SoftScoresCase> Soft)
{
    public static ScoresFile Load() => ReferenceData.Load<ScoresFile>("scores.json");
}

internal sealed record HardScoresCase(
    int Classes,
    double[][] Probabilities,
    int[] Truth,
    double[] Rps,
    double[] Log_Loss,
    double[] Brier,
    double Mean_Rps,
    double Mean_Rps_Numpy,
    double Mean_Log_Loss,
    double Mean_Brier,
    double? Mean_Brier_Sklearn_Binary);

internal sealed record SoftScoresCase(
    int Classes,
    double[][] Probabilities,
    double[][] Targets,
    double[] Rps,
    double[] Log_Loss,
    double[] Brier,
    double Mean_Rps,
    double Mean_Log_Loss,
    double Mean_Brier);
