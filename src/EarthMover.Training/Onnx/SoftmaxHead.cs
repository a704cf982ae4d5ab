namespace EarthMover.Training.Onnx;

/// <summary>The head of every loss on C logits: softmax over the classes.</summary>
internal sealed class SoftmaxHead : OnnxHead
{
    /// <inheritdoc />
    public override string Probabilities(OnnxGraph graph, string outputs, int classes) =>
        graph.Node("Softmax", [outputs], [OnnxGraph.Int("axis", 1)]);
}
