using EarthMover.Training.Onnx;

namespace EarthMover.Training.Models;

/// <summary>The MLP as ONNX nodes: the first layer on the dense inputs plus each embedded column's row, then the body and the head.</summary>
internal sealed partial class Mlp
{
    internal override string ToOnnx(OnnxGraph graph, OnnxModelInput input)
    {
        string? first = input.Dense is { } dense ? OnnxLayers.Gemm(graph, _first, dense) : null;
        if (input.Embedded.Count != _embeddings.Count)
        {
            throw new InvalidOperationException($"the model has {_embeddings.Count} embedded columns, the inputs {input.Embedded.Count}.");
        }
        for (int e = 0; e < _embeddings.Count; e++)
        {
            var row = graph.Node("Gather", [graph.Constant(_embeddings[e].weight!), input.Embedded[e]], [OnnxGraph.Int("axis", 0)]);
            first = first is null ? graph.Node("Add", [row, graph.Constant(_first.bias!)]) : graph.Node("Add", [first, row]);
        }
        var features = OnnxLayers.Apply(graph, _body, first ?? throw new InvalidOperationException("the model reads no inputs."));
        return OnnxLayers.Apply(graph, _head, features);
    }
}
