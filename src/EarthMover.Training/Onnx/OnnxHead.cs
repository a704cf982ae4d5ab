namespace EarthMover.Training.Onnx;

/// <summary>
/// The last piece of an exported model: the nodes from the network's outputs to the predicted distribution over
/// the classes (N x C floats), exactly as <see cref="Objective.Probabilities"/> computes it for the run's loss, and
/// for the methods with their own prediction rule the nodes of that rule (<see cref="Classes"/>). A loss whose
/// outputs are not C logits adds its head here and in <see cref="For"/>.
/// </summary>
internal abstract class OnnxHead
{
    /// <summary>The head of a run trained with <paramref name="loss"/>.</summary>
    public static OnnxHead For(LossSpec loss) => loss.Head switch
    {
        Methods.LossHead.Regression => new RoundedRegressionHead(),
        Methods.LossHead.Coral or Methods.LossHead.LogisticAt => new ThresholdHead(),
        Methods.LossHead.Corn => new CornHead(),
        Methods.LossHead.Ecoc => new EcocHead(),
        _ => new SoftmaxHead(),
    };

    /// <summary>Adds the nodes; returns the name of the N x C float distribution.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="outputs">The network's outputs, N x outputs floats.</param>
    /// <param name="classes">C.</param>
    public abstract string Probabilities(OnnxGraph graph, string outputs, int classes);

    /// <summary>The nodes of the method's own rule (as <see cref="Objective.Classes"/>): the name of the N int64 class indices; null for a head whose class is a decoder's.</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="outputs">The network's outputs.</param>
    /// <param name="probabilities">The distribution this head computed.</param>
    public virtual string? Classes(OnnxGraph graph, string outputs, string probabilities) => null;
}
