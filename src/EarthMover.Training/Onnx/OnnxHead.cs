namespace EarthMover.Training.Onnx;

/// <summary>
/// The last piece of an exported model: the nodes from the network's outputs to the predicted distribution over
/// the classes (N x C floats), exactly as <see cref="Objective.Probabilities"/> computes it for the run's loss. A
/// loss whose outputs are not C logits (a threshold head with C - 1 outputs, say) adds its head here and in
/// <see cref="For"/>.
/// </summary>
internal abstract class OnnxHead
{
    /// <summary>The head of a run trained with <paramref name="loss"/>.</summary>
    public static OnnxHead For(LossSpec loss) => loss.IsRegression ? new RoundedRegressionHead() : new SoftmaxHead();

    /// <summary>Adds the nodes; returns the name of the N x C float distribution.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="outputs">The network's outputs, N x outputs floats.</param>
    /// <param name="classes">C.</param>
    public abstract string Probabilities(OnnxGraph graph, string outputs, int classes);
}
