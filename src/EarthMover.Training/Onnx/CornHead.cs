using Onnx;

namespace EarthMover.Training.Onnx;

/// <summary>
/// CORN's head (C - 1 conditional logits z_q), as <c>earthmover.ordinal.corn_probabilities</c>, in log space:
/// log σ(z) = -softplus(-z), log P(y &gt; q) = Σ_{t ≤ q} log σ(z_t); p_k = exp(log P(y &gt; k - 1) + log σ(-z_k)) for
/// k &lt; C - 1 (the exclusive cumulative sum), p_{C-1} = P(y &gt; C - 2). The class is <c>corn_predict</c>'s:
/// #{q : P(y &gt; q) &gt; 1/2}, in double as the library computes it.
/// </summary>
internal sealed class CornHead : OnnxHead
{
    /// <inheritdoc />
    public override string Probabilities(OnnxGraph graph, string outputs, int classes)
    {
        var logAbove = graph.Node("Neg", [graph.Node("Softplus", [graph.Node("Neg", [outputs])])]);
        var logNotNext = graph.Node("Neg", [graph.Node("Softplus", [outputs])]);
        var axis = graph.Constant([1L]);
        var prefix = graph.Node("CumSum", [logAbove, axis], [OnnxGraph.Int("exclusive", 1)]);
        var inner = graph.Node("Add", [prefix, logNotNext]);
        var last = graph.Node("ReduceSum", [logAbove, graph.Constant([1L], 1)], [OnnxGraph.Int("keepdims", 1)]);
        return graph.Node("Exp", [graph.Node("Concat", [inner, last], [OnnxGraph.Int("axis", 1)])]);
    }

    /// <inheritdoc />
    public override string? Classes(OnnxGraph graph, string outputs, string probabilities)
    {
        // log σ(z) = min(z, 0) - log(1 + exp(-|z|)), in double (Softplus is float-only in some runtimes).
        var z = graph.Node("Cast", [outputs], [OnnxGraph.Int("to", (long)TensorProto.Types.DataType.Double)]);
        var tail = graph.Node("Log", [graph.Node("Add", [graph.Constant([1.0]), graph.Node("Exp", [graph.Node("Neg", [graph.Node("Abs", [z])])])])]);
        var logSigmoid = graph.Node("Sub", [graph.Node("Min", [z, graph.Constant([0.0])]), tail]);
        var above = graph.Node("Exp", [graph.Node("CumSum", [logSigmoid, graph.Constant([1L])])]);
        var passed = graph.Node("Greater", [above, graph.Constant([0.5])]);
        var counted = graph.Node("Cast", [passed], [OnnxGraph.Int("to", (long)TensorProto.Types.DataType.Int64)]);
        return graph.Node("ReduceSum", [counted, graph.Constant([1L], 1)], [OnnxGraph.Int("keepdims", 0)]);
    }
}
