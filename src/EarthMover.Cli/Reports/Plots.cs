using System.Globalization;
using ScottPlot;

namespace EarthMover.Cli.Reports;

/// <summary>The PNG plots of a run, drawn with ScottPlot and written atomically.</summary>
internal static class Plots
{
    public const string LearningCurves = "learning_curves.png";
    public const string Confusion = "confusion.png";
    public const string GroundDistance = "ground_distance.png";

    /// <summary>Up to this many classes a matrix shows its numbers in the cells; beyond, only shades (the numbers would not fit).</summary>
    public const int AnnotatedClasses = 15;

    /// <summary>
    /// Two panels over the epochs: the training loss (left axis) with the validation cross-entropy (right axis),
    /// and the validation scores: lower-is-better RPS and MAE (left axis), higher-is-better accuracy and QWK
    /// (right axis). The warm-up epochs, which cannot be chosen, are shaded; a dashed line marks the best epoch.
    /// </summary>
    public static void WriteLearningCurves(RunFolder folder, IReadOnlyList<EpochRecord> history, int bestEpoch, string monitor, string title)
    {
        double[] epochs = history.Select(h => (double)h.Epoch).ToArray();
        var losses = new Plot();
        var train = losses.Add.Scatter(epochs, history.Select(h => h.TrainLoss).ToArray(), Colors.Category10[0]);
        train.LegendText = "training loss (left)";
        var validation = losses.Add.Scatter(epochs, history.Select(h => h.ValidationLoss).ToArray(), Colors.Category10[1]);
        validation.LegendText = "validation CE; MSE for regression (right)";
        validation.Axes.YAxis = losses.Axes.Right;
        losses.Axes.Left.Label.Text = "training loss";
        losses.Axes.Right.Label.Text = "validation loss";
        losses.Title(title);

        var scores = new Plot();
        Curve(scores, epochs, history.Select(h => h.ValidationRps), "validation RPS ↓ (left)", 2, right: false);
        Curve(scores, epochs, history.Select(h => h.ValidationMae), "validation MAE ↓ (left)", 3, right: false);
        Curve(scores, epochs, history.Select(h => h.ValidationAccuracy), "validation accuracy ↑ (right)", 4, right: true);
        Curve(scores, epochs, history.Select(h => h.ValidationQwk), "validation QWK ↑ (right)", 5, right: true);
        scores.Axes.Left.Label.Text = "lower is better";
        scores.Axes.Right.Label.Text = "higher is better";
        scores.XLabel("epoch");

        int warmup = history.Count(h => !h.Eligible);
        foreach (var panel in new[] { losses, scores })
        {
            if (warmup > 0)
            {
                var span = panel.Add.HorizontalSpan(0.5, warmup + 0.5, Colors.Gray.WithAlpha(0.15));
                span.LegendText = "warm-up (not eligible)";
            }
            if (bestEpoch >= 1)
            {
                var line = panel.Add.VerticalLine(bestEpoch, 1.5f, Colors.Black, LinePattern.Dashed);
                line.LegendText = $"best epoch ({bestEpoch}, by {monitor})";
            }
            panel.ShowLegend(Edge.Bottom);
            panel.Legend.Orientation = Orientation.Horizontal;
            panel.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        }
        var multiplot = new Multiplot(losses);
        multiplot.AddPlot(scores);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Rows();
        multiplot.SharedAxes.ShareX([losses, scores]);
        byte[] png = multiplot.Render(900, 900).GetImageBytes(ImageFormat.Png, 100);
        folder.WriteAtomic(LearningCurves, stream => stream.Write(png));
    }

    public static void WriteConfusion(RunFolder folder, long[][] confusion, IReadOnlyList<string> classes, string title)
    {
        int c = classes.Count;
        // Each true class's row as fractions, so that rare classes are as readable as common ones.
        var data = new double[c, c];
        var counts = new string[c, c];
        for (int t = 0; t < c; t++)
        {
            double total = Math.Max(1, confusion[t].Sum());
            for (int p = 0; p < c; p++)
            {
                data[t, p] = confusion[t][p] / total;
                counts[t, p] = confusion[t][p].ToString(CultureInfo.InvariantCulture);
            }
        }
        Heatmap(folder, Confusion, data, counts, classes, title, "predicted", "true", "colour: share of the true class's rows; numbers: counts");
    }

    public static void WriteGroundDistance(RunFolder folder, EarthMover.GroundDistance distance, IReadOnlyList<string> classes, string title)
    {
        var data = distance.ToArray();
        var text = new string[classes.Count, classes.Count];
        for (int i = 0; i < classes.Count; i++)
        {
            for (int j = 0; j < classes.Count; j++)
            {
                text[i, j] = data[i, j].ToString("0.00", CultureInfo.InvariantCulture);
            }
        }
        Heatmap(folder, GroundDistance, data, text, classes, title, "class", "class", "colour and numbers: distance");
    }

    private static void Curve(Plot plot, double[] epochs, IEnumerable<double> values, string label, int colour, bool right)
    {
        var curve = plot.Add.Scatter(epochs, values.ToArray(), Colors.Category10[colour]);
        curve.LegendText = label;
        if (right)
        {
            curve.Axes.YAxis = plot.Axes.Right;
            curve.LinePattern = LinePattern.Dotted;
        }
    }

    // A class x class matrix: shaded cells, with their numbers while they fit (up to AnnotatedClasses).
    private static void Heatmap(RunFolder folder, string name, double[,] data, string[,] numbers, IReadOnlyList<string> classes, string title, string xLabel, string yLabel, string legend)
    {
        int c = classes.Count;
        var plot = new Plot();
        var map = plot.Add.Heatmap(data);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(map);
        plot.Axes.Margins(0, 0);
        double[] positions = Enumerable.Range(0, c).Select(i => (double)i).ToArray();
        // Row 0 of the data is drawn at the top: the labels of the left axis run downwards.
        plot.Axes.Bottom.SetTicks(positions, [.. classes]);
        plot.Axes.Left.SetTicks(positions.Select(p => c - 1 - p).ToArray(), [.. classes]);
        float tickSize = c <= AnnotatedClasses ? 14 : 11;
        plot.Axes.Bottom.TickLabelStyle.FontSize = tickSize;
        plot.Axes.Left.TickLabelStyle.FontSize = tickSize;
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        // Room for the rotated labels and the axis label below them; no tick marks (the cells show the classes).
        plot.Axes.Bottom.MinimumSize = 40 + 0.5f * tickSize * classes.Max(n => n.Length);
        foreach (ScottPlot.IAxis axis in new ScottPlot.IAxis[] { plot.Axes.Bottom, plot.Axes.Left })
        {
            axis.MajorTickStyle.Length = 0;
            axis.MinorTickStyle.Length = 0;
            axis.TickLabelStyle.Padding = 4;
        }
        int size = Math.Clamp(160 + 48 * c, 520, 1500);
        if (c <= AnnotatedClasses)
        {
            double high = data.Cast<double>().DefaultIfEmpty(0).Max();
            float fontSize = Math.Clamp(size / (2.2f * c) - 2, 9, 16);
            for (int i = 0; i < c; i++)
            {
                for (int j = 0; j < c; j++)
                {
                    var label = plot.Add.Text(numbers[i, j], j, c - 1 - i);
                    label.LabelAlignment = Alignment.MiddleCenter;
                    label.LabelFontSize = fontSize;
                    // Viridis is dark at the low end and yellow at the high end.
                    label.LabelStyle.ForeColor = data[i, j] > 0.6 * high ? Colors.Black : Colors.White;
                }
            }
        }
        else
        {
            legend += $"; no numbers above {AnnotatedClasses} classes";
        }
        plot.Title($"{title}\n{legend}", size: 14);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        Save(folder, name, plot, size + 180, size);
    }

    private static void Save(RunFolder folder, string name, Plot plot, int width, int height)
    {
        byte[] png = plot.GetImageBytes(width, height, ImageFormat.Png);
        folder.WriteAtomic(name, stream => stream.Write(png));
    }
}
