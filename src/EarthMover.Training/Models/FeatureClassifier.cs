using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Training.Models;

/// <summary>
/// A classifier that exposes its penultimate-layer features, which the learned ground distance is built from:
/// a body that maps inputs to features, and a linear head from features to outputs (C logits, or one value for
/// the regression baseline).
/// </summary>
internal abstract class FeatureClassifier : nn.Module<Tensor, Tensor>
{
    protected FeatureClassifier(string name)
        : base(name)
    {
    }

    /// <summary>
    /// The model for data encoded by <paramref name="encoder"/>: the small CNN for images, else the MLP (with an
    /// embedding per wide categorical column), ending in the loss's head (<see cref="Methods.LossHeads.Layer"/>).
    /// </summary>
    public static FeatureClassifier Create(Data.FeatureEncoder encoder, Training.TrainOptions options, Methods.LossHead head, int classes)
    {
        int outputs = Methods.LossHeads.Outputs(head, classes);
        nn.Module<Tensor, Tensor> Layer(int width) => Methods.LossHeads.Layer(head, width, classes);
        return encoder.Image
            ? new SmallCnn(outputs, options.Dropout, Layer)
            : new Mlp(encoder.DenseWidth, options.Hidden, outputs, options.Dropout, encoder.Embedded, Layer);
    }

    /// <summary>The dimension of the penultimate features.</summary>
    public abstract int FeatureWidth { get; }

    /// <summary>Outputs and penultimate features of a batch.</summary>
    public abstract (Tensor Outputs, Tensor Features) Run(Tensor input);

    /// <summary>
    /// The network as ONNX nodes (for <see cref="OnnxExport"/>), in evaluation mode, from the encoded inputs to the
    /// outputs; returns the outputs' name. Each model writes its own, so a new model kind cannot be exported wrongly.
    /// </summary>
    internal abstract string ToOnnx(Onnx.OnnxGraph graph, Onnx.OnnxModelInput input);

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => Run(input).Outputs;
}
