using EarthMover.Cli.Training;
using ScottPlot;

namespace EarthMover.Cli.Reports;

/// <summary>The PNG plots of a run, drawn with ScottPlot and written atomically.</summary>
internal static class Plots
{
    public const string LearningCurves = "learning_curves.png";
    public const string Confusion = "confusion.png";
    public const string GroundDistance = "ground_distance.png";

    public static void WriteLearningCurves(RunFolder folder, IReadOnlyList<EpochRecord> history, string title)
    {
        var plot = new Plot();
        double[] epochs = history.Select(h => (double)h.Epoch).ToArray();
        var train = plot.Add.Scatter(epochs, history.Select(h => h.TrainLoss).ToArray());
        train.LegendText = "training loss";
        var validation = plot.Add.Scatter(epochs, history.Select(h => h.ValidationLoss).ToArray());
        validation.LegendText = "validation CE (MSE for regression)";
        var mae = plot.Add.Scatter(epochs, history.Select(h => h.ValidationMae).ToArray());
        mae.LegendText = "validation MAE (classes)";
        mae.LinePattern = LinePattern.Dashed;
        plot.Title(title);
        plot.XLabel("epoch");
        plot.ShowLegend();
        Save(folder, LearningCurves, plot, 800, 500);
    }

    public static void WriteConfusion(RunFolder folder, long[][] confusion, IReadOnlyList<string> classes, string title)
    {
        int c = classes.Count;
        // Each true class's row as fractions, so that rare classes are as readable as common ones.
        var data = new double[c, c];
        for (int t = 0; t < c; t++)
        {
            double total = Math.Max(1, confusion[t].Sum());
            for (int p = 0; p < c; p++)
            {
                data[t, p] = confusion[t][p] / total;
            }
        }
        Heatmap(folder, Confusion, data, classes, title, "predicted", "true", "fraction of the true class");
    }

    public static void WriteGroundDistance(RunFolder folder, EarthMover.GroundDistance distance, IReadOnlyList<string> classes, string title) =>
        Heatmap(folder, GroundDistance, distance.ToArray(), classes, title, "class", "class", "distance");

    private static void Heatmap(RunFolder folder, string name, double[,] data, IReadOnlyList<string> classes, string title, string xLabel, string yLabel, string scale)
    {
        var plot = new Plot();
        var map = plot.Add.Heatmap(data);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        var bar = plot.Add.ColorBar(map);
        bar.Label = scale;
        double[] positions = Enumerable.Range(0, classes.Count).Select(i => (double)i).ToArray();
        // Row 0 of the data is drawn at the top: the labels of the left axis run downwards.
        plot.Axes.Bottom.SetTicks(positions, [.. classes]);
        plot.Axes.Left.SetTicks(positions.Select(p => classes.Count - 1 - p).ToArray(), [.. classes]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 12 + 7 * classes.Max(c => c.Length);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        int size = Math.Clamp(160 + 60 * classes.Count, 500, 1400);
        Save(folder, name, plot, size + 160, size);
    }

    private static void Save(RunFolder folder, string name, Plot plot, int width, int height)
    {
        byte[] png = plot.GetImageBytes(width, height, ImageFormat.Png);
        folder.WriteAtomic(name, stream => stream.Write(png));
    }
}
