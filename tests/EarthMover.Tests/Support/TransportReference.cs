namespace EarthMover.Tests.Support;

/// <summary>The transport reference values (reference/generate.py, POT): exact EMD, Sinkhorn, trees, W_q on the line.</summary>
internal static class TransportReference
{
    public static TransportFile Exact => ReferenceData.Load<TransportFile>("transport.json");

    public static TreeFile Tree => ReferenceData.Load<TreeFile>("tree.json");

    public static SinkhornFile Sinkhorn => ReferenceData.Load<SinkhornFile>("sinkhorn.json");

    public static LineFile Line => ReferenceData.Load<LineFile>("line.json");
}

internal sealed record TransportFile(List<TransportCase> Cases);

internal sealed record TransportCase(
    int Classes,
    string Kind,
    string Degenerate,
    bool Quasi_Metric,
    double[][] Distance,
    double[][]? Logits,
    double[][] P,
    double[][] T,
    double[] Emd,
    double[][] Pot_U_Centred,
    bool[] Nondegenerate);

internal sealed record TreeFile(List<TreeCase> Trees, List<LinkageCase> Linkages);

internal sealed record TreeCase(
    int Classes,
    string Shape,
    int[] Parents,
    double[] Lengths,
    double[][] Distance,
    double[][] Logits,
    double[][] T,
    long[] Target_Indices,
    double[] Emd_Soft,
    double[] Emd_Indices);

internal sealed record LinkageCase(int Classes, double[][] Distance, double[] Merge_Heights, double[][] Cophenetic);

internal sealed record SinkhornFile(List<SinkhornCase> Cases);

internal sealed record SinkhornCase(
    int Classes,
    string Kind,
    double Epsilon,
    double[][] Distance,
    double[][] Logits,
    double[][] T,
    int Fixed_Iterations,
    Dictionary<string, double[]> Fixed,
    Dictionary<string, double[]>? Converged);

internal sealed record LineFile(List<LineCase> Cases);

internal sealed record LineCase(int Classes, double Exponent, double[] Positions, double[][] Logits, double[][] T, double[] Wasserstein_Q_Power_Q, double[] Cdf_Form);
