using System.Globalization;

namespace EarthMover.Cli.Reports;

/// <summary>NIMA's metrics of target distributions as table cells and JSON, in one order and format, with what they mean.</summary>
internal static class DistributionCells
{
    /// <summary>Column headers; the arrow says which direction is better.</summary>
    public static readonly string[] Headers = ["EMD r=1 ↓", "EMD r=2 ↓", "LCC ↑", "SRCC ↑", "accuracy ↑", "RPS ↓"];

    /// <summary>What the headers mean, one line each.</summary>
    public static readonly string[] Legend =
    [
        "Target distributions (NIMA): EMD r: (1/C Σ_k |P_k − T_k|^r)^(1/r) over the predicted and target cumulative distributions, averaged over rows.",
        "LCC, SRCC: Pearson's and Spearman's correlation of the predicted mean score Σ x_k p_k with the target's; accuracy: predicted and target mean on the same side of the threshold; RPS: Σ_k (P_k − T_k)².",
    ];

    /// <summary>The values in header order.</summary>
    public static double[] Values(DistributionMetrics m) => [m.MeanEmd1, m.MeanEmd2, m.Lcc, m.Srcc, m.Accuracy, m.Rps];

    public static string[] Of(DistributionMetrics m) =>
        Values(m).Select(v => v.ToString("0.0000", CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The metrics as JSON fields.</summary>
    public static object Describe(DistributionMetrics m) => new
    {
        samples = m.Samples,
        mean_emd_r1 = m.MeanEmd1,
        mean_emd_r2 = m.MeanEmd2,
        lcc = m.Lcc,
        srcc = m.Srcc,
        accuracy = m.Accuracy,
        threshold = m.Threshold,
        rps = m.Rps,
    };
}
