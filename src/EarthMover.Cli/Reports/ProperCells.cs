using System.Globalization;

namespace EarthMover.Cli.Reports;

/// <summary>
/// The three proper scores of the predicted distributions (<see cref="ProperScores"/>) as table cells and JSON, in one
/// order and format for the console, report.md, compare's tables, evaluation.json and raw.csv, with what they mean.
/// </summary>
internal static class ProperCells
{
    /// <summary>Column headers (lower is better for all three).</summary>
    public static readonly string[] Headers = ["RPS ↓", "log loss ↓", "Brier ↓"];

    /// <summary>What the headers mean, and why the mean EMD beside them is not one of them: printed under every table that shows them.</summary>
    public static readonly string[] Legend =
    [
        "Proper scores of the predicted distribution (lower is better; a model cannot improve them by misreporting its beliefs): RPS, the ranked probability score Σ_m (P_m − T_m)² over the cumulative distributions (unnormalised, in [0, C − 1]); log loss, −log p(true class) (natural log, p floored at 2^−52); Brier, Σ_k (p_k − t_k)² (in [0, 2]).",
        "The mean EMD and NIMA's metrics are descriptive, not proper: against one true class the mean EMD is linear in p and is smallest for all mass on one class, so a sharper, worse-calibrated model can win on it.",
    ];

    /// <summary>The three values, in the order of <see cref="Headers"/>.</summary>
    public static double[] Values(ProperScoreMeans s) => [s.RankedProbabilityScore, s.LogLoss, s.BrierScore];

    /// <summary>The three values as cells, 4 decimals.</summary>
    public static string[] Of(ProperScoreMeans s) =>
        Values(s).Select(v => v.ToString("0.0000", CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The scores for JSON files: rps, log_loss, brier, samples.</summary>
    public static object Describe(ProperScoreMeans s) => new
    {
        rps = s.RankedProbabilityScore,
        log_loss = s.LogLoss,
        brier = s.BrierScore,
        samples = s.Samples,
    };
}
