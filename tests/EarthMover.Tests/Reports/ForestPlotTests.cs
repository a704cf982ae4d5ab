using EarthMover.Cli.Reports;
using EarthMover.Training;
using SkiaSharp;

namespace EarthMover.Tests.Reports;

/// <summary>The forest plot of paired differences, drawn from made-up numbers.</summary>
public class ForestPlotTests
{
    private static readonly string[] Losses = ["emd2", "emd2, CE warm-up 2", "gd-emd", "xemd1 (learned)", "xemd2 (learned)", "regression"];

    // Differences of about 0.01 with intervals of about ±0.006: the scale the plot must make readable.
    internal static ForestPanel[] SamplePanels(bool anySurvivor) =>
    [
        Panel("MAE (classes)", "loss − CE (negative: better)", [-0.021, -0.008, 0.064, -0.004, -0.012, 0.015], anySurvivor ? [true, false, true, false, true, false] : new bool[6]),
        Panel("exact accuracy", "loss − CE (positive: better)", [0.002, 0.004, -0.061, 0.001, 0.006, -0.035], anySurvivor ? [false, false, true, false, false, true] : new bool[6]),
        Panel("QWK", "loss − CE (positive: better)", [0.017, 0.006, -0.02, 0.003, 0.011, 0.009], anySurvivor ? [true, false, false, false, false, false] : new bool[6]),
    ];

    [Fact]
    public void Renders_a_png_with_a_panel_per_metric_and_marks_the_survivors()
    {
        byte[] png = ForestPlot.Render("diamonds: clarity (made-up numbers)", "filled, blue: survives Holm's correction over 72 comparisons at α = 0.05", SamplePanels(anySurvivor: true));
        using var image = SKBitmap.Decode(png);
        Assert.Equal(1000, image.Width);
        Assert.True(image.Height > 3 * (110 + 6 * 26), $"height {image.Height}");
        using var none = SKBitmap.Decode(ForestPlot.Render("no survivors", "filled: survives", SamplePanels(anySurvivor: false)));
        // The survivors' colour is drawn for the survivors only (the legend adds one marker, in the last panel).
        Assert.True(Count(image, new SKColor(0x1F, 0x4E, 0x9A)) > 2 * Count(none, new SKColor(0x1F, 0x4E, 0x9A)));
        // Save it where a person can look at it.
        File.WriteAllBytes(Path.Combine(Path.GetTempPath(), "earthmover-forest-sample.png"), png);
    }

    [Fact]
    public void Writes_the_file_atomically()
    {
        var folder = new RunFolder(Path.Combine(Path.GetTempPath(), "earthmover-tests", Guid.NewGuid().ToString("N")));
        ForestPlot.Write(folder, "forest.png", "t", "filled: survives", SamplePanels(true));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(folder.PathOf("forest.png")).Take(4).ToArray());
        Assert.Empty(Directory.GetFiles(folder.FullPath, "*.tmp"));
    }

    [Fact]
    public void Refuses_repeated_labels_empty_panels_and_reversed_intervals()
    {
        var twice = new ForestPanel("MAE", "loss − CE", [new("emd2", 0.01, 0, 0.02, false), new("emd2", -0.01, -0.02, 0, false)]);
        Assert.Contains("'emd2' appears 2 times", Assert.Throws<ArgumentException>(() => ForestPlot.Render("t", "l", [twice])).Message, StringComparison.Ordinal);
        Assert.Equal("panels", Assert.Throws<ArgumentException>(() => ForestPlot.Render("t", "l", [])).ParamName);
        Assert.Equal("panels", Assert.Throws<ArgumentException>(() => ForestPlot.Render("t", "l", [new ForestPanel("MAE", "x", [])])).ParamName);
        Assert.Equal("panels", Assert.Throws<ArgumentException>(() => ForestPlot.Render("t", "l", [new ForestPanel("MAE", "x", [new("a", 0, 0.1, -0.1, false)])])).ParamName);
        Assert.Equal("panels", Assert.Throws<ArgumentException>(() => ForestPlot.Render("t", "l", [new ForestPanel("MAE", "x", [new("a", double.NaN, 0, 0, false)])])).ParamName);
    }

    private static ForestPanel Panel(string title, string axis, double[] estimates, bool[] survives) =>
        new(title, axis, Losses.Select((loss, i) => new ForestRow(loss, estimates[i], estimates[i] - 0.006 - 0.001 * i, estimates[i] + 0.005 + 0.001 * i, survives[i])).ToArray());

    private static int Count(SKBitmap image, SKColor color)
    {
        int count = 0;
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                count += image.GetPixel(x, y) == color ? 1 : 0;
            }
        }
        return count;
    }
}
