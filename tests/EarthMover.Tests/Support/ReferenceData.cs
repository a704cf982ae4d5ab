using System.Text.Json;

namespace EarthMover.Tests.Support;

/// <summary>Reads the values that reference/generate.py computed with SciPy and POT.</summary>
internal static class ReferenceData
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    public static T Load<T>(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "reference", file);
        return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options)
            ?? throw new InvalidOperationException($"{path} is empty");
    }

    public static OrdinalFile Ordinal => Load<OrdinalFile>("ordinal.json");

    public static GroundFile Ground => Load<GroundFile>("ground.json");

    public static XemdFile Xemd => Load<XemdFile>("xemd.json");

    public static LearnerFile Learner => Load<LearnerFile>("learner.json");

    public static MetricsFile Metrics => Load<MetricsFile>("metrics.json");
}

internal sealed record OrdinalFile(List<OrdinalCase> Cases);

internal sealed record OrdinalCase(
    int Classes,
    double[] Positions,
    double[][] Logits,
    long[]? Target_Indices,
    double[][]? Target_Distributions,
    double[] Wasserstein_L1,
    double[] Energy_Half_Squared_L2);

internal sealed record GroundFile(List<GroundCase> Cases);

internal sealed record GroundCase(int Classes, string Kind, double[][] Distance, double[][] Logits, long[] Target_Indices, double[] Emd);

internal sealed record XemdFile(List<XemdCase> Cases);

internal sealed record XemdCase(int Classes, bool Ties, double[][] Distance, double[][] Logits, long[] Target_Indices, Dictionary<string, XemdPresetValues> Presets);

internal sealed record XemdPresetValues(double Mu, double Power, double[][] Weights, double[] Loss);

internal sealed record LearnerFile(List<LearnerCase> Cases);

internal sealed record LearnerCase(int Classes, double[][] Features, long[] Labels, double[][] Centroids, double[][] Distance, double[][] Xemd1, double[][] Xemd2);

internal sealed record MetricsFile(List<MetricsCase> Cases);

internal sealed record MetricsCase(
    int Classes,
    int[] Truth,
    int[] Predicted,
    double[][] Probabilities,
    double Exact_Accuracy,
    double One_Off_Accuracy,
    double Mae,
    double Macro_Mae,
    double Qwk,
    double Mean_Emd,
    long[][] Confusion);
