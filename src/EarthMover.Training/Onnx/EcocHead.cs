namespace EarthMover.Training.Onnx;

/// <summary>
/// The ordinal ECOC head (C - 1 logits of the code's bits), as <c>earthmover.ordinal.ecoc_probabilities</c> of
/// o = σ(z): the scores s_k = -‖o - c_k‖₂ against the code words c_kq = [k &gt; q], and their softmax. The class is
/// <c>ecoc_predict</c>'s, the nearest code word: the first largest score.
/// </summary>
internal sealed class EcocHead : OnnxHead
{
    // The scores of the last graph this head wrote, for Classes.
    private string? _scores;

    /// <inheritdoc />
    public override string Probabilities(OnnxGraph graph, string outputs, int classes)
    {
        var bits = graph.Node("Unsqueeze", [graph.Node("Sigmoid", [outputs]), graph.Constant([1L], 1)]);
        var code = new float[classes * (classes - 1)];
        for (int k = 0; k < classes; k++)
        {
            for (int q = 0; q < classes - 1; q++)
            {
                code[k * (classes - 1) + q] = k > q ? 1f : 0f;
            }
        }
        var difference = graph.Node("Sub", [bits, graph.Constant(code, 1, classes, classes - 1)]);
        var squares = graph.Node("ReduceSum", [graph.Node("Mul", [difference, difference]), graph.Constant([2L], 1)], [OnnxGraph.Int("keepdims", 0)]);
        _scores = graph.Node("Neg", [graph.Node("Sqrt", [squares])]);
        return graph.Node("Softmax", [_scores], [OnnxGraph.Int("axis", 1)]);
    }

    /// <inheritdoc />
    public override string? Classes(OnnxGraph graph, string outputs, string probabilities) =>
        graph.Node("ArgMax", [_scores ?? throw new InvalidOperationException("Probabilities writes the scores first.")], [OnnxGraph.Int("axis", 1), OnnxGraph.Int("keepdims", 0)]);
}
