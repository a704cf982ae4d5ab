using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EarthMover.Training.Models;

/// <summary>
/// A multilayer perceptron for tabular data: Linear → ReLU → Dropout for each hidden layer, then a linear head.
/// A wide categorical column arrives as one level index (after the dense inputs) and adds its level's row of an
/// embedding to the first layer: the same function, initialisation and gradients as a one-hot block feeding
/// that layer, without the one-hot matrix (index 0, a level not seen in training, adds nothing, as an all-zero
/// block would).
/// </summary>
internal sealed partial class Mlp : FeatureClassifier
{
    private readonly Linear _first;
    private readonly Sequential _body;
    private readonly nn.Module<Tensor, Tensor> _head;
    private readonly ModuleList<Embedding> _embeddings;
    private readonly int _dense;

    /// <param name="inputs">The dense inputs per sample.</param>
    /// <param name="hidden">The hidden layer widths.</param>
    /// <param name="outputs">C logits, or 1 for regression.</param>
    /// <param name="dropout">Dropout after each hidden layer.</param>
    /// <param name="embedded">The levels of each embedded column, whose indices (1..levels; 0: unseen) follow the dense inputs.</param>
    /// <param name="head">The last layer from the features' width (e.g. CORAL's layer); null: a linear layer to <paramref name="outputs"/>.</param>
    public Mlp(int inputs, IReadOnlyList<int> hidden, int outputs, double dropout, IReadOnlyList<int>? embedded = null, Func<int, nn.Module<Tensor, Tensor>>? head = null)
        : base(nameof(Mlp))
    {
        if (hidden.Count == 0 || hidden.Any(h => h < 1))
        {
            throw new UserError("--hidden must list one or more positive layer widths, e.g. 128,64.");
        }
        embedded ??= [];
        _dense = inputs;
        _first = nn.Linear(inputs, hidden[0]);
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        int width = hidden[0];
        for (int i = 0; i < hidden.Count; i++)
        {
            if (i > 0)
            {
                layers.Add(($"linear{i}", nn.Linear(width, hidden[i])));
                width = hidden[i];
            }
            layers.Add(($"relu{i}", nn.ReLU()));
            if (dropout > 0)
            {
                layers.Add(($"dropout{i}", nn.Dropout(dropout)));
            }
        }
        _body = nn.Sequential(layers);
        _head = head is null ? nn.Linear(width, outputs) : head(width);
        // Created last, so that a model without embeddings draws the same initial weights as before they existed.
        _embeddings = nn.ModuleList(embedded.Select(levels => nn.Embedding(levels + 1, hidden[0], padding_idx: 0)).ToArray());
        if (embedded.Count > 0)
        {
            InitialiseAsOneHot(inputs + embedded.Sum());
        }
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
        var first = _embeddings.Count == 0 ? _first.call(input) : _first.call(input.narrow(1, 0, _dense)) + Embedded(input);
        var features = _body.call(first);
        return (_head.call(features), features);
    }

    // The embedded columns' contributions to the first layer: the trailing inputs hold level indices as floats (exact below 2^24).
    private Tensor Embedded(Tensor input)
    {
        var indices = input.narrow(1, _dense, _embeddings.Count).to(ScalarType.Int64);
        Tensor sum = _embeddings[0].call(indices.select(1, 0));
        for (int e = 1; e < _embeddings.Count; e++)
        {
            sum = sum + _embeddings[e].call(indices.select(1, e));
        }
        return sum;
    }

    // PyTorch's Linear initialisation, U(-1/sqrt(fan_in), 1/sqrt(fan_in)), with the fan-in of the one-hot layer
    // this one stands for; the unseen level's row stays zero.
    private void InitialiseAsOneHot(int fanIn)
    {
        double bound = 1 / Math.Sqrt(fanIn);
        using var noGrad = torch.no_grad();
        _first.weight!.uniform_(-bound, bound);
        _first.bias!.uniform_(-bound, bound);
        foreach (var embedding in _embeddings)
        {
            embedding.weight!.uniform_(-bound, bound);
            embedding.weight[0].zero_();
        }
    }
}
