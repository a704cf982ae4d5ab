using System.Globalization;
using ScottPlot;

namespace EarthMover.Cli.Reports;

/// <summary>One row of a forest plot: one loss on one metric against the baseline.</summary>
/// <param name="Label">The loss, as readers should tell it from the others (settings included: "emd2, CE warm-up 2").</param>
/// <param name="Estimate">The mean paired difference to the baseline.</param>
/// <param name="Low">Lower end of its interval.</param>
/// <param name="High">Upper end of its interval.</param>
/// <param name="Survives">Whether the difference survives the family's multiple-testing correction.</param>
internal sealed record ForestRow(string Label, double Estimate, double Low, double High, bool Survives);

/// <summary>One panel of a forest plot: one metric, a row per loss, its own scale.</summary>
/// <param name="Title">The metric, e.g. "MAE (classes)".</param>
/// <param name="AxisLabel">How to read the horizontal axis, e.g. "loss − CE (negative: better)".</param>
/// <param name="Rows">The rows, drawn top to bottom in this order.</param>
internal sealed record ForestPanel(string Title, string AxisLabel, IReadOnlyList<ForestRow> Rows);

/// <summary>
/// A forest plot of paired differences to a baseline: a panel per metric (each on its own scale, since MAE, accuracy
/// and QWK differ in units), a row per loss with its mean difference and interval, a dashed line at zero, the
/// numbers written beside each row, and the rows that survive the correction drawn filled and dark, the others
/// hollow and grey. It takes plain numbers, so a caller can feed it from any results.
/// </summary>
internal static class ForestPlot
{
    private static readonly Color SurvivorColor = new(0x1F, 0x4E, 0x9A);
    private static readonly Color OtherColor = new(0x8C, 0x8C, 0x8C);

    /// <summary>Renders the panels, stacked, as PNG bytes.</summary>
    /// <param name="title">The figure's title (the dataset), above the first panel.</param>
    /// <param name="legend">Says what survived which correction, e.g. "filled: survives Holm's correction over 120 comparisons at α = 0.05".</param>
    /// <param name="panels">One per metric, each with at least one row, labels distinct within a panel.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <exception cref="ArgumentException">No panels, an empty panel, repeated labels in a panel, non-finite values or an interval with Low above High.</exception>
    public static byte[] Render(string title, string legend, IReadOnlyList<ForestPanel> panels, int width = 1000)
    {
        Check(panels);
        var plots = panels.Select((panel, i) => Panel(panel, i == 0 ? title : null, i == panels.Count - 1 ? legend : null)).ToArray();
        var multiplot = new Multiplot();
        // A new Multiplot starts with one empty plot of its own.
        while (multiplot.Count() > 0)
        {
            multiplot.RemovePlot(multiplot.GetPlot(0));
        }
        foreach (var plot in plots)
        {
            multiplot.AddPlot(plot);
        }
        // Taller panels for more rows: 26 px a row plus room for the title, axis label and ticks (and the legend below the last).
        var heights = panels.Select((p, i) => 110f + 26f * p.Rows.Count + (i == 0 ? 30 : 0) + (i == panels.Count - 1 ? 70 : 0)).ToArray();
        var layout = new ScottPlot.MultiplotLayouts.DraggableRows();
        layout.SetHeights(heights);
        multiplot.Layout = layout;
        return multiplot.Render(width, (int)heights.Sum()).GetImageBytes(ImageFormat.Png, 100);
    }

    /// <summary>Renders the panels and writes them to <paramref name="name"/> in <paramref name="folder"/> (atomically).</summary>
    public static void Write(RunFolder folder, string name, string title, string legend, IReadOnlyList<ForestPanel> panels, int width = 1000)
    {
        byte[] png = Render(title, legend, panels, width);
        folder.WriteAtomic(name, stream => stream.Write(png));
    }

    private static Plot Panel(ForestPanel panel, string? title, string? legend)
    {
        var plot = new Plot();
        int n = panel.Rows.Count;
        var positions = new double[n];
        for (int i = 0; i < n; i++)
        {
            var row = panel.Rows[i];
            double y = n - 1 - i;
            positions[i] = y;
            var color = row.Survives ? SurvivorColor : OtherColor;
            var interval = plot.Add.Line(row.Low, y, row.High, y);
            interval.LineWidth = 2.5f;
            interval.LineColor = color;
            interval.MarkerSize = 0;
            var marker = plot.Add.Marker(row.Estimate, y);
            marker.MarkerShape = row.Survives ? MarkerShape.FilledCircle : MarkerShape.OpenCircle;
            marker.MarkerSize = 11;
            marker.MarkerLineWidth = 2;
            marker.Color = color;
        }
        var zero = plot.Add.VerticalLine(0);
        zero.LineColor = Colors.Black;
        zero.LinePattern = LinePattern.Dashed;
        zero.LineWidth = 1;

        double low = Math.Min(0, panel.Rows.Min(r => r.Low)), high = Math.Max(0, panel.Rows.Max(r => r.High));
        double pad = Math.Max(0.05 * (high - low), 1e-3);
        plot.Axes.SetLimitsX(low - pad, high + pad);
        plot.Axes.SetLimitsY(-0.7, n - 0.3);
        plot.Axes.SetLimitsY(-0.7, n - 0.3, plot.Axes.Right);
        plot.Axes.Left.SetTicks(positions, panel.Rows.Select(r => r.Label).ToArray());
        plot.Axes.Right.SetTicks(positions, panel.Rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Estimate:+0.0000;−0.0000;0.0000}  [{r.Low:+0.0000;−0.0000;0.0000}, {r.High:+0.0000;−0.0000;0.0000}]")).ToArray());
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Right.MajorTickStyle.Length = 0;
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 0;
        plot.Grid.XAxisStyle.MinorLineStyle.Width = 1;
        plot.Grid.XAxisStyle.MinorLineStyle.Color = Colors.Black.WithAlpha(0.05);
        plot.Axes.Bottom.Label.Text = panel.AxisLabel;
        plot.Axes.Left.Label.Text = panel.Title;
        if (title is not null)
        {
            plot.Title(title);
        }
        if (legend is not null)
        {
            plot.ShowLegend(
            [
                new LegendItem { LabelText = legend, MarkerShape = MarkerShape.FilledCircle, MarkerColor = SurvivorColor, MarkerSize = 11, LineWidth = 0 },
                new LegendItem { LabelText = "hollow, grey: does not survive it", MarkerShape = MarkerShape.OpenCircle, MarkerColor = OtherColor, MarkerSize = 11, LineWidth = 0 },
            ], Alignment.LowerCenter);
            plot.Legend.Orientation = Orientation.Horizontal;
            plot.ShowLegend(Edge.Bottom);
        }
        return plot;
    }

    private static void Check(IReadOnlyList<ForestPanel> panels)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0)
        {
            throw new ArgumentException("No panels: give at least one.", nameof(panels));
        }
        foreach (var panel in panels)
        {
            if (panel.Rows.Count == 0)
            {
                throw new ArgumentException($"Panel '{panel.Title}' has no rows.", nameof(panels));
            }
            if (panel.Rows.GroupBy(r => r.Label, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            {
                throw new ArgumentException($"Panel '{panel.Title}': the label '{repeated.Key}' appears {repeated.Count()} times; every row needs its own label.", nameof(panels));
            }
            if (panel.Rows.FirstOrDefault(r => !double.IsFinite(r.Estimate) || !double.IsFinite(r.Low) || !double.IsFinite(r.High) || r.Low > r.High) is { } bad)
            {
                throw new ArgumentException($"Panel '{panel.Title}', row '{bad.Label}': the estimate and interval must be finite with Low ≤ High.", nameof(panels));
            }
        }
    }
}
