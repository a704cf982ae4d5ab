using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Tests;

/// <summary>Bad input to the losses for target distributions: an ArgumentException naming the parameter.</summary>
public class TransportBadInputTests
{
    private static readonly GroundDistance Line = GroundDistance.Evenly(4);

    public static TheoryData<string> Losses() => new() { "emd", "tree", "line", "sinkhorn" };

    private static Tensor Loss(string loss, Tensor input, Tensor target, EmdInput inputType = EmdInput.Logits, Tensor? sampleWeight = null) => loss switch
    {
        "emd" => earthmover.nn.functional.emd_loss(input, target, Line, inputType, sample_weight: sampleWeight),
        "tree" => earthmover.nn.functional.tree_emd_loss(input, target, ClassTree.FromDistance(Line), inputType, sample_weight: sampleWeight),
        "line" => earthmover.nn.functional.wasserstein_1d_loss(input, target, input_type: inputType, sample_weight: sampleWeight),
        _ => earthmover.nn.functional.sinkhorn_loss(input, target, Line, 0.5, input_type: inputType, sample_weight: sampleWeight),
    };

    private static void Throws(string parameter, Action action)
    {
        var e = Assert.ThrowsAny<ArgumentException>(action);
        Assert.Equal(parameter, e.ParamName);
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void Shapes_values_and_weights_are_checked(string loss)
    {
        using var z = torch.randn(3, 4, dtype: ScalarType.Float64);
        using var t = torch.rand(3, 4, dtype: ScalarType.Float64).softmax(1);
        Throws("target", () => Loss(loss, z, torch.rand(3, 5)));
        Throws("target", () => Loss(loss, z, torch.tensor(new long[] { 0, 1 })));
        Throws("target", () => Loss(loss, z, torch.tensor(new long[] { 0, 1, 4 })));
        Throws("target", () => Loss(loss, z, t * 2));
        Throws("target", () => Loss(loss, z, t - 0.5));
        Throws("input", () => Loss(loss, torch.randn(3), t));
        Throws("input", () => Loss(loss, torch.randn(3, 1), torch.ones(3, 1)));
        Throws("input", () => Loss(loss, z.index_put_(torch.tensor(double.NaN), 1, 2), t));
        Throws("input", () => Loss(loss, torch.rand(3, 4, dtype: ScalarType.Float64), t, EmdInput.Probabilities));
        Throws("sample_weight", () => Loss(loss, torch.randn(3, 4), t, sampleWeight: torch.ones(2)));
        Throws("input_type", () => Loss(loss, torch.randn(3, 4), t, (EmdInput)5));
    }

    [Fact]
    public void Distances_must_be_non_negative_finite_with_zero_diagonal_and_match_c()
    {
        using var z = torch.randn(2, 3);
        using var t = torch.rand(2, 3).softmax(1);
        Throws("distance", () => earthmover.nn.functional.emd_loss(z, t, torch.tensor(new[] { 0, -1.0, 1, 1, 0, 1, 1, 1, 0 }, 3, 3)));
        Throws("distance", () => earthmover.nn.functional.emd_loss(z, t, torch.tensor(new[] { 0, double.NaN, 1, 1, 0, 1, 1, 1, 0 }, 3, 3)));
        Throws("distance", () => earthmover.nn.functional.emd_loss(z, t, torch.tensor(new[] { 1.0, 1, 1, 1, 0, 1, 1, 1, 0 }, 3, 3)));
        Throws("distance", () => earthmover.nn.functional.emd_loss(z, t, Line));
        Throws("distance", () => earthmover.nn.functional.sinkhorn_loss(z, t, torch.ones(3, 2), 1));
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void An_empty_batch_has_a_sum_and_no_mean(string loss)
    {
        using var z = torch.zeros(0, 4, dtype: ScalarType.Float64).requires_grad_();
        using var t = torch.zeros(0, 4, dtype: ScalarType.Float64);
        Throws("input", () => Loss(loss, z, t));
        using var sum = loss switch
        {
            "emd" => earthmover.nn.functional.emd_loss(z, t, Line, reduction: TorchSharp.torch.nn.Reduction.Sum),
            "tree" => earthmover.nn.functional.tree_emd_loss(z, t, ClassTree.FromDistance(Line), reduction: TorchSharp.torch.nn.Reduction.Sum),
            "line" => earthmover.nn.functional.wasserstein_1d_loss(z, t, reduction: TorchSharp.torch.nn.Reduction.Sum),
            _ => earthmover.nn.functional.sinkhorn_loss(z, t, Line, 0.5, reduction: TorchSharp.torch.nn.Reduction.Sum),
        };
        Assert.Equal(0.0, sum.ToDouble());
        sum.backward();
        Assert.Equal(new long[] { 0, 4 }, z.grad!.shape);
    }
}
