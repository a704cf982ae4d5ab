using TorchSharp;
using static EarthMover.earthmover;
using static TorchSharp.torch;

namespace EarthMover.Training.Methods;

/// <summary>
/// What each <see cref="LossHead"/> means for the network and its outputs: the last layer, its width, the class
/// distribution (through the library's <c>earthmover.ordinal.*_probabilities</c>) and the method's own prediction
/// rule (<c>threshold_predict</c>, <c>corn_predict</c>, <c>ecoc_predict</c>).
/// </summary>
internal static class LossHeads
{
    /// <summary>The network's outputs for <paramref name="classes"/> classes: C, C - 1, or 1.</summary>
    public static int Outputs(LossHead head, int classes) => head switch
    {
        LossHead.Logits => classes,
        LossHead.Regression => 1,
        _ => classes - 1,
    };

    /// <summary>The last layer from <paramref name="features"/> features: CORAL's layer (shared weight, C - 1 biases) for coral and logistic-at, else a linear layer.</summary>
    public static torch.nn.Module<Tensor, Tensor> Layer(LossHead head, int features, int classes) => head switch
    {
        LossHead.Coral or LossHead.LogisticAt => earthmover.nn.CoralLayer(features, classes),
        _ => torch.nn.Linear(features, Outputs(head, classes)),
    };

    /// <summary>N x C class probabilities from the network's outputs.</summary>
    public static Tensor Probabilities(LossHead head, Tensor outputs, int classes)
    {
        switch (head)
        {
            case LossHead.Logits:
                return outputs.softmax(1);
            case LossHead.Coral:
                return ordinal.coral_probabilities(outputs);
            case LossHead.LogisticAt:
                return ordinal.logistic_at_probabilities(outputs);
            case LossHead.Corn:
                return ordinal.corn_probabilities(outputs);
            case LossHead.Ecoc:
            {
                using var bits = outputs.sigmoid();
                return ordinal.ecoc_probabilities(bits);
            }
            default:
            {
                using var scope = torch.NewDisposeScope();
                var index = outputs.squeeze(1).round().clamp(0, classes - 1).to(ScalarType.Int64);
                return torch.nn.functional.one_hot(index, classes).to(ScalarType.Float32).MoveToOuterDisposeScope();
            }
        }
    }

    /// <summary>N class indices by the method's own rule; null for C logits and regression (the decoder's class).</summary>
    public static Tensor? Classes(LossHead head, Tensor outputs)
    {
        switch (head)
        {
            case LossHead.Coral or LossHead.LogisticAt:
                return ordinal.threshold_predict(outputs);
            case LossHead.Corn:
                return ordinal.corn_predict(outputs);
            case LossHead.Ecoc:
            {
                using var bits = outputs.sigmoid();
                return ordinal.ecoc_predict(bits);
            }
            default:
                return null;
        }
    }

    /// <summary>The method's own rule in words, for reports and the ONNX metadata; null for a decoder's class.</summary>
    public static string? Rule(LossHead head) => head switch
    {
        LossHead.Coral or LossHead.LogisticAt => "thresholds passed (ordinal.threshold_predict)",
        LossHead.Corn => "conditional probabilities above 1/2 (ordinal.corn_predict)",
        LossHead.Ecoc => "nearest code word (ordinal.ecoc_predict)",
        _ => null,
    };
}
