using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EarthMover.Training.Onnx;

/// <summary>
/// TorchSharp layers as ONNX nodes, in evaluation mode (dropout is the identity): Linear (Gemm), CORAL's layer
/// (Gemm and the biases), ReLU, Dropout, Conv2d (zero padding, any stride, dilation and groups), MaxPool2d, Flatten, and a Sequential of those. A model
/// built from them exports by listing its layers; any other layer is refused by name rather than guessed.
/// </summary>
internal static class OnnxLayers
{
    /// <summary>The nodes of <paramref name="module"/> applied to <paramref name="input"/>; returns the output's name.</summary>
    /// <exception cref="NotSupportedException">The module is not one of the layers above.</exception>
    public static string Apply(OnnxGraph graph, nn.Module module, string input) => module switch
    {
        Sequential sequential => sequential.children().Aggregate(input, (x, child) => Apply(graph, child, x)),
        Linear linear => Gemm(graph, linear, input),
        ReLU => graph.Node("Relu", [input]),
        Dropout => input,
        Conv2d conv => Conv(graph, conv, input),
        MaxPool2d pool => MaxPool(graph, pool, input),
        Flatten flatten => Flatten(graph, flatten, input),
        EarthMover.Modules.CoralLayer coral => Coral(graph, coral, input),
        _ => throw new NotSupportedException($"ONNX export does not know the layer {module.GetType().Name} ('{module.GetName()}'); add it to {nameof(OnnxLayers)}."),
    };

    /// <summary>x W^T + b, as Linear computes it.</summary>
    public static string Gemm(OnnxGraph graph, Linear linear, string input)
    {
        var weight = graph.Constant(linear.weight!);
        string[] inputs = linear.bias is { } bias ? [input, weight, graph.Constant(bias)] : [input, weight];
        return graph.Node("Gemm", inputs, [OnnxGraph.Int("transB", 1)]);
    }

    // CORAL's layer: the shared weight (a bias-free 1-output linear map), then the K - 1 biases added.
    private static string Coral(OnnxGraph graph, EarthMover.Modules.CoralLayer coral, string input)
    {
        var weight = coral.named_parameters().Single(p => p.name.EndsWith("weight", StringComparison.Ordinal)).parameter;
        var score = graph.Node("Gemm", [input, graph.Constant(weight)], [OnnxGraph.Int("transB", 1)]);
        return graph.Node("Add", [score, graph.Constant(coral.coral_bias)]);
    }

    private static string Conv(OnnxGraph graph, Conv2d conv, string input)
    {
        if (conv.padding_mode != PaddingModes.Zeros || conv.padding_type is not null)
        {
            throw new NotSupportedException($"ONNX export writes Conv2d with explicit zero padding only; '{conv.GetName()}' pads with {conv.padding_mode} {conv.padding_type}.");
        }
        var inputs = new List<string> { input, graph.Constant(conv.weight!) };
        if (conv.bias is { } bias)
        {
            inputs.Add(graph.Constant(bias));
        }
        var padding = Pair(conv.padding, 0);
        return graph.Node("Conv", [.. inputs],
        [
            OnnxGraph.Ints("kernel_shape", Pair(conv.kernel_size, 1)),
            OnnxGraph.Ints("strides", Pair(conv.stride, 1)),
            OnnxGraph.Ints("dilations", Pair(conv.dilation, 1)),
            OnnxGraph.Ints("pads", [padding[0], padding[1], padding[0], padding[1]]),
            OnnxGraph.Int("group", conv.groups),
        ]);
    }

    private static string MaxPool(OnnxGraph graph, MaxPool2d pool, string input)
    {
        var padding = Pair(pool.padding, 0);
        return graph.Node("MaxPool", [input],
        [
            OnnxGraph.Ints("kernel_shape", Pair(pool.kernel_size, 1)),
            OnnxGraph.Ints("strides", Pair(pool.stride ?? pool.kernel_size, 1)),
            OnnxGraph.Ints("dilations", Pair(pool.dilation, 1)),
            OnnxGraph.Ints("pads", [padding[0], padding[1], padding[0], padding[1]]),
            OnnxGraph.Int("ceil_mode", pool.ceil_mode ? 1 : 0),
        ]);
    }

    // ONNX's Flatten keeps the dimensions before axis and flattens the rest: torch's Flatten(start_dim, -1).
    private static string Flatten(OnnxGraph graph, Flatten flatten, string input)
    {
        if (flatten.end_dim != -1)
        {
            throw new NotSupportedException($"ONNX export writes Flatten to the last dimension only; '{flatten.GetName()}' ends at {flatten.end_dim}.");
        }
        return graph.Node("Flatten", [input], [OnnxGraph.Int("axis", flatten.start_dim)]);
    }

    // A size of one value for both dimensions, or two values; none: the layer's default.
    private static long[] Pair(long[]? values, long fallback) => values switch
    {
        null or [] => [fallback, fallback],
        [var one] => [one, one],
        _ => values,
    };
}
