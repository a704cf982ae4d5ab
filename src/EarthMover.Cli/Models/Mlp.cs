using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EarthMover.Cli.Models;

/// <summary>
/// A multilayer perceptron for tabular data: Linear → ReLU → Dropout for each hidden layer, then a linear head.
/// Wide categorical columns arrive as one level index each, after the dense inputs, and pass through an
/// embedding (index 0, a level not seen in training, has the zero vector) whose vectors join the dense inputs.
/// </summary>
internal sealed class Mlp : FeatureClassifier
{
    private readonly Sequential _body;
    private readonly Linear _head;
    private readonly ModuleList<Embedding> _embeddings;
    private readonly int _dense;

    /// <param name="inputs">The dense inputs per sample.</param>
    /// <param name="hidden">The hidden layer widths.</param>
    /// <param name="outputs">C logits, or 1 for regression.</param>
    /// <param name="dropout">Dropout after each hidden layer.</param>
    /// <param name="embeddings">Per embedded column: its levels (indices 1..levels; 0 is unseen) and vector size.</param>
    public Mlp(int inputs, IReadOnlyList<int> hidden, int outputs, double dropout, IReadOnlyList<(int Levels, int Size)>? embeddings = null)
        : base(nameof(Mlp))
    {
        if (hidden.Count == 0 || hidden.Any(h => h < 1))
        {
            throw new UserError("--hidden must list one or more positive layer widths, e.g. 128,64.");
        }
        embeddings ??= [];
        _dense = inputs;
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        int width = inputs + embeddings.Sum(e => e.Size);
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
        // Created last, so that a model without embeddings draws the same initial weights as before they existed.
        _embeddings = nn.ModuleList(embeddings.Select(e => nn.Embedding(e.Levels + 1, e.Size, padding_idx: 0)).ToArray());
        FeatureWidth = width;
        RegisterComponents();
    }

    public override int FeatureWidth { get; }

    public override (Tensor Outputs, Tensor Features) Run(Tensor input)
    {
        var features = _body.call(_embeddings.Count == 0 ? input : Embed(input));
        return (_head.call(features), features);
    }

    // Dense inputs, then each embedded column's vector (the trailing inputs hold level indices as floats, exact below 2^24).
    private Tensor Embed(Tensor input)
    {
        var parts = new List<Tensor> { input.narrow(1, 0, _dense) };
        var indices = input.narrow(1, _dense, _embeddings.Count).to(ScalarType.Int64);
        for (int e = 0; e < _embeddings.Count; e++)
        {
            parts.Add(_embeddings[e].call(indices.select(1, e)));
        }
        return torch.cat(parts, 1);
    }
}
