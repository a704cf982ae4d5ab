using System.Globalization;

namespace EarthMover.Cli.Reports;

/// <summary>The six ordinal metrics as table cells, in one order and format for the console and report.md.</summary>
internal static class MetricCells
{
    public static readonly string[] Headers = ["exact acc.", "one-off acc.", "MAE", "macro MAE", "QWK", "mean EMD"];

    public static string[] Of(OrdinalMetrics m) =>
        new[] { m.ExactAccuracy, m.OneOffAccuracy, m.MeanAbsoluteError, m.MacroMeanAbsoluteError, m.QuadraticWeightedKappa, m.MeanEmd }
            .Select(v => v.ToString("0.0000", CultureInfo.InvariantCulture))
            .ToArray();
}
