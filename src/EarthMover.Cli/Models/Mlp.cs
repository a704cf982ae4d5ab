using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EarthMover.Cli.Models;

/// <summary>A multilayer perceptron for tabular data: Linear → ReLU → Dropout for each hidden layer, then a linear head.</summary>
internal sealed class Mlp : FeatureClassifier
{
    private readonly Sequential _body;
    private readonly Linear _head;

    public Mlp(int inputs, IReadOnlyList<int> hidden, int outputs, double dropout)
        : base(nameof(Mlp))
    {
        if (hidden.Count == 0 || hidden.Any(h => h < 1))
        {
            throw new UserError("--hidden must list one or more positive layer widths, e.g. 128,64.");
        }
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        int width = inputs;
        for (int i = 0; i < hidden.Count; i++)
        {
            layers.Add(($"linear{i}", nn.Linear(width, hidden[i])));
            layers.Add(($"relu{i}", nn.ReLU()));
            if (dropout > 0)
            {
                layers.Add(($"dropout{i}", nn.Dropout(dropout)));
            }
            width = hidden[i];
        }
        _body = nn.Sequential(layers);
        _head = nn.Linear(width, outputs);
        FeatureWidth = width;
        RegisterComponents();
    }

    public override int FeatureWidth { get; }

    /// <summary>The number of weights and biases of an MLP with these sizes (checked before it is built).</summary>
    public static long Parameters(int inputs, IReadOnlyList<int> hidden, int outputs)
    {
        long total = 0;
        long width = inputs;
        foreach (int layer in hidden.Append(outputs))
        {
            total += (width + 1) * layer;
            width = layer;
        }
        return total;
    }

    public override (Tensor Outputs, Tensor Features) Run(Tensor input)
    {
        var features = _body.call(input);
        return (_head.call(features), features);
    }
}
