using EarthMover.Training.Onnx;

namespace EarthMover.Training.Models;

/// <summary>The small CNN as ONNX nodes: the N x 784 scaled pixels as N x 1 x 28 x 28, then the body and the head.</summary>
internal sealed partial class SmallCnn
{
    internal override string ToOnnx(OnnxGraph graph, OnnxModelInput input)
    {
        var images = graph.Node("Reshape", [input.Dense!, graph.Constant([-1L, 1, 28, 28], 4)]);
        return OnnxLayers.Apply(graph, _head, OnnxLayers.Apply(graph, _body, images));
    }
}
