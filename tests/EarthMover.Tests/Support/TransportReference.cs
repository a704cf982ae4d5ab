namespace EarthMover.Tests.Support;

/// <summary>The transport reference values (reference/generate.py, POT): exact EMD, Sinkhorn, trees, W_q on the line.</summary>
internal static class TransportReference
{
    public static TransportFile Exact => ReferenceData.Load<TransportFile>("transport.json");
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
