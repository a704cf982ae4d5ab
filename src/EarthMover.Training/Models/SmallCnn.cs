using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EarthMover.Training.Models;

/// <summary>
/// A small convolutional network for 28 x 28 grey images: two 3x3 convolutions (32 and 64 channels) with ReLU
/// and 2x2 max pooling, a 128-unit fully connected layer (the penultimate features), and a linear head.
/// </summary>
internal sealed partial class SmallCnn : FeatureClassifier
{
    private readonly Sequential _body;
    private readonly nn.Module<Tensor, Tensor> _head;

    /// <param name="outputs">The outputs of a linear head.</param>
    /// <param name="dropout">Dropout before the fully connected layer.</param>
    /// <param name="head">The last layer from the 128 features (e.g. CORAL's layer); null: a linear layer to <paramref name="outputs"/>.</param>
    public SmallCnn(int outputs, double dropout, Func<int, nn.Module<Tensor, Tensor>>? head = null)
        : base(nameof(SmallCnn))
    {
        _body = nn.Sequential(
            ("conv1", nn.Conv2d(1, 32, 3, padding: 1)),
            ("relu1", nn.ReLU()),
            ("pool1", nn.MaxPool2d(2)),
            ("conv2", nn.Conv2d(32, 64, 3, padding: 1)),
            ("relu2", nn.ReLU()),
            ("pool2", nn.MaxPool2d(2)),
            ("flatten", nn.Flatten()),
            ("dropout", nn.Dropout(dropout)),
            ("fc", nn.Linear(64 * 7 * 7, 128)),
            ("relu3", nn.ReLU()));
        _head = head is null ? nn.Linear(128, outputs) : head(128);
        RegisterComponents();
    }

    public override int FeatureWidth => 128;

    public override (Tensor Outputs, Tensor Features) Run(Tensor input)
    {
        var features = _body.call(input.view(-1, 1, 28, 28));
        return (_head.call(features), features);
    }
}
