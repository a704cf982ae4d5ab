using Onnx;

namespace EarthMover.Training.Onnx;

/// <summary>
/// The head of the regression baseline: its one output rounded (half to even, as torch.round) and clamped to a
/// class index, and all the mass on that class.
/// </summary>
internal sealed class RoundedRegressionHead : OnnxHead
{
    /// <inheritdoc />
    public override string Probabilities(OnnxGraph graph, string outputs, int classes)
    {
        var rounded = graph.Node("Round", [outputs]);
        var clamped = graph.Node("Clip", [rounded, graph.Constant([0f]), graph.Constant([(float)(classes - 1)])]);
        var index = graph.Node("Cast", [clamped], [OnnxGraph.Int("to", (long)TensorProto.Types.DataType.Int64)]);
        var range = graph.Constant(Enumerable.Range(0, classes).Select(k => (long)k).ToArray(), 1, classes);
        var equal = graph.Node("Equal", [index, range]);
        return graph.Node("Cast", [equal], [OnnxGraph.Int("to", (long)TensorProto.Types.DataType.Float)]);
    }
}
