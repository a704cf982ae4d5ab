using System.Globalization;

namespace EarthMover.Cli.Reports;

/// <summary>The six ordinal metrics as table cells, in one order and format for the console and report.md, with what they mean.</summary>
internal static class MetricCells
{
    /// <summary>Column headers; the arrow says which direction is better.</summary>
    public static readonly string[] Headers = ["exact acc. ↑", "one-off acc. ↑", "MAE ↓", "macro MAE ↓", "QWK ↑", "mean EMD ↓ (descriptive)"];

    /// <summary>What the headers mean, one line each: printed under every table of metrics.</summary>
    public static readonly string[] Legend =
    [
        "↑ higher is better, ↓ lower is better. MAE: mean |predicted − true class| in class steps. QWK: quadratic weighted kappa (1 perfect, 0 chance).",
        "macro MAE: the MAE of each true class, averaged over the classes present (a rare class counts as much as a common one).",
        "mean EMD: the earth mover's distance from the predicted distribution to the true class, Σ_m |P_m − T_m| over the cumulative distributions (class steps), averaged over rows; descriptive, not a proper score (see RPS, log loss and Brier).",
    ];

    /// <summary>The ranked probability score, defined in one line (the default score that picks the best epoch).</summary>
    public const string RpsDefinition = "RPS (ranked probability score, ↓): Σ_m (P_m − T_m)² over the predicted and true cumulative distributions, averaged over rows; a proper scoring rule.";

    public static string[] Of(OrdinalMetrics m) =>
        new[] { m.ExactAccuracy, m.OneOffAccuracy, m.MeanAbsoluteError, m.MacroMeanAbsoluteError, m.QuadraticWeightedKappa, m.MeanEmd }
            .Select(v => v.ToString("0.0000", CultureInfo.InvariantCulture))
            .ToArray();
}
