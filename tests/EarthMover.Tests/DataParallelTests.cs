using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Tests;

/// <summary>
/// The data-parallel recipe of docs/distributed-training.md, simulated in one process: a batch split into
/// unequal shards, each "worker" taking the Sum-reduced weighted loss of its shard divided by the global
/// weight sum, and the gradients added (what an all-reduce of the gradients computes), equals the full batch's
/// weighted Mean loss and its gradient; the mean of the shards' own Means does not.
/// </summary>
public class DataParallelTests
{
    private const int Rows = 12, Features = 4, Classes = 5;
    private static readonly int[][] Shards = [[0, 1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11]];

    public static TheoryData<string> Losses() => ["squared_emd", "ground_emd", "xemd"];

    [Theory]
    [MemberData(nameof(Losses))]
    public void Shard_sums_over_the_global_weight_give_the_full_batch_mean_and_its_gradient(string name)
    {
        var generator = torch.manual_seed(11);
        using var x = torch.randn(Rows, Features, dtype: ScalarType.Float64, generator: generator);
        using var y = torch.randint(0, Classes, Rows, dtype: ScalarType.Int64, generator: generator);
        using var w = torch.rand(Rows, dtype: ScalarType.Float64, generator: generator) * 2;
        using var parameters = torch.randn(Features, Classes, dtype: ScalarType.Float64, generator: generator).requires_grad_();
        var loss = Loss(name);

        using var full = loss(x.mm(parameters), y, w, Reduction.Mean);
        full.backward();
        using var fullGradient = parameters.grad!.clone();
        parameters.grad!.zero_();

        double globalWeight = w.sum().ToDouble(); // all-reduced in a real run
        double total = 0;
        foreach (var shard in Shards)
        {
            using var rows = torch.tensor(shard, dtype: ScalarType.Int64);
            using var local = loss(x.index_select(0, rows).mm(parameters), y.index_select(0, rows), w.index_select(0, rows), Reduction.Sum) / globalWeight;
            local.backward(); // gradients accumulate in parameters.grad: the all-reduce's sum
            total += local.ToDouble();
        }

        Assert.Equal(full.ToDouble(), total, 1e-12);
        Assert.True(torch.allclose(parameters.grad!, fullGradient, rtol: 1e-12, atol: 1e-14), $"{name}: the shards' summed gradient differs from the full batch's");

        // The naive recipe, the mean of the shards' own weighted means, is not the full batch's mean.
        double naive = Shards.Average(shard =>
        {
            using var rows = torch.tensor(shard, dtype: ScalarType.Int64);
            using var mean = loss(x.index_select(0, rows).mm(parameters), y.index_select(0, rows), w.index_select(0, rows), Reduction.Mean);
            return mean.ToDouble();
        });
        Assert.NotEqual(full.ToDouble(), naive, 1e-6);
    }

    private static Func<Tensor, Tensor, Tensor, Reduction, Tensor> Loss(string name)
    {
        var distance = GroundDistance.FromPositions([0, 1, 2, 3, 4], p: 2);
        var xemd = XemdWeights.FromDistance(distance, XemdPreset.Xemd2);
        return name switch
        {
            "squared_emd" => (z, t, weight, reduction) => earthmover.nn.functional.squared_emd_loss(z, t, sample_weight: weight, reduction: reduction),
            "ground_emd" => (z, t, weight, reduction) => earthmover.nn.functional.ground_emd_loss(z, t, distance, sample_weight: weight, reduction: reduction),
            _ => (z, t, weight, reduction) => earthmover.nn.functional.xemd_loss(z, t, xemd, sample_weight: weight, reduction: reduction),
        };
    }
}
