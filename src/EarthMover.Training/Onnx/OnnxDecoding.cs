using Onnx;

namespace EarthMover.Training.Onnx;

/// <summary>
/// An <see cref="OrdinalDecoder"/> as ONNX nodes, computing what <see cref="OrdinalDecoding.Decode"/> computes:
/// the class index (int64, N) of each distribution.
/// </summary>
internal static class OnnxDecoding
{
    /// <summary>Adds the nodes; returns the name of the N class indices.</summary>
    public static string ClassIndex(OnnxGraph graph, string probabilities, int classes, OrdinalDecoder decoder) => decoder switch
    {
        // The first most probable class, as the strict comparison of Decode keeps the first.
        OrdinalDecoder.Argmax => graph.Node("ArgMax", [probabilities], [OnnxGraph.Int("axis", 1), OnnxGraph.Int("keepdims", 0)]),
        OrdinalDecoder.Median => Median(graph, probabilities, classes),
        OrdinalDecoder.Expectation => Expectation(graph, probabilities, classes),
        _ => throw new ArgumentException($"{decoder} is not an OrdinalDecoder value.", nameof(decoder)),
    };

    // The first class whose cumulative probability (in double) reaches 1/2; the last class when none does.
    private static string Median(OnnxGraph graph, string probabilities, int classes)
    {
        var cumulative = graph.Node("CumSum", [Double(graph, probabilities), graph.Constant([1L])]);
        var reached = graph.Node("GreaterOrEqual", [cumulative, graph.Constant([0.5])]);
        var last = Enumerable.Range(0, classes).Select(k => k == classes - 1).ToArray();
        var anyway = graph.Node("Or", [reached, graph.Constant(last, 1, classes)]);
        var asInt = graph.Node("Cast", [anyway], [OnnxGraph.Int("to", (long)TensorProto.Types.DataType.Int32)]);
        return graph.Node("ArgMax", [asInt], [OnnxGraph.Int("axis", 1), OnnxGraph.Int("keepdims", 0)]);
    }

    // Σ k p_k in double, rounded half away from zero (the mean is >= 0: floor(mean + 1/2)), clamped to a class.
    private static string Expectation(OnnxGraph graph, string probabilities, int classes)
    {
        var k = graph.Constant(Enumerable.Range(0, classes).Select(i => (double)i).ToArray(), 1, classes);
        var weighted = graph.Node("Mul", [Double(graph, probabilities), k]);
        var mean = graph.Node("ReduceSum", [weighted, graph.Constant([1L], 1)], [OnnxGraph.Int("keepdims", 0)]);
        var rounded = graph.Node("Floor", [graph.Node("Add", [mean, graph.Constant([0.5])])]);
        var clamped = graph.Node("Clip", [rounded, graph.Constant([0.0]), graph.Constant([(double)(classes - 1)])]);
        return graph.Node("Cast", [clamped], [OnnxGraph.Int("to", (long)TensorProto.Types.DataType.Int64)]);
    }

    private static string Double(OnnxGraph graph, string input) =>
        graph.Node("Cast", [input], [OnnxGraph.Int("to", (long)TensorProto.Types.DataType.Double)]);
}
