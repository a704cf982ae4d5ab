using Onnx;

namespace EarthMover.Training.Onnx;

/// <summary>
/// The head of CORAL and the logistic all-threshold model (C - 1 logits z_q), as <c>earthmover.ordinal.coral_probabilities</c>:
/// the running minimum P̃_q = min_{t ≤ q} σ(z_t) (a chain of Min nodes: ONNX has no cumulative minimum), then
/// p_0 = 1 - P̃_0, p_k = P̃_{k-1} - P̃_k, p_{C-1} = P̃_{C-2}. The class is <c>threshold_predict</c>'s: #{q : z_q &gt; 0}.
/// </summary>
internal sealed class ThresholdHead : OnnxHead
{
    /// <inheritdoc />
    public override string Probabilities(OnnxGraph graph, string outputs, int classes)
    {
        var sigmoid = graph.Node("Sigmoid", [outputs]);
        var running = new List<string>();
        for (int q = 0; q < classes - 1; q++)
        {
            var column = Column(graph, sigmoid, q);
            running.Add(q == 0 ? column : graph.Node("Min", [running[q - 1], column]));
        }
        var columns = new List<string> { graph.Node("Sub", [graph.Constant([1f]), running[0]]) };
        for (int k = 1; k < classes - 1; k++)
        {
            columns.Add(graph.Node("Sub", [running[k - 1], running[k]]));
        }
        columns.Add(running[classes - 2]);
        return graph.Node("Concat", [.. columns], [OnnxGraph.Int("axis", 1)]);
    }

    /// <inheritdoc />
    public override string? Classes(OnnxGraph graph, string outputs, string probabilities)
    {
        var passed = graph.Node("Greater", [outputs, graph.Constant([0f])]);
        var counted = graph.Node("Cast", [passed], [OnnxGraph.Int("to", (long)TensorProto.Types.DataType.Int64)]);
        return graph.Node("ReduceSum", [counted, graph.Constant([1L], 1)], [OnnxGraph.Int("keepdims", 0)]);
    }

    /// <summary>Column q of an N x m tensor, N x 1.</summary>
    internal static string Column(OnnxGraph graph, string tensor, int q) =>
        graph.Node("Slice", [tensor, graph.Constant([(long)q], 1), graph.Constant([(long)q + 1], 1), graph.Constant([1L], 1)]);
}
