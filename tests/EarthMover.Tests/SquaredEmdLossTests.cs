using EarthMover.Kernels;
using EarthMover.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Tests;

/// <summary>The ordered-class loss against published values and SciPy's exact 1-D distances.</summary>
public class SquaredEmdLossTests
{
    private static Tensor Compute(string backend, Tensor input, Tensor target, double power = 2, bool root = false, double[]? positions = null,
        EmdNormalization normalization = EmdNormalization.Paper, EmdInput inputType = EmdInput.Logits, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
        SquaredEmd.Compute(input, target, power, root, positions, normalization, inputType, weight, reduction, Backends.Parse(backend));

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Hand_checked_example(string backend)
    {
        // Worked by hand: p = [.2, .5, .3], k = 2: sum of squared CDF differences 0.53, W1 0.9.
        using var p = torch.tensor(new[] { 0.2, 0.5, 0.3 }, 1, 3, dtype: ScalarType.Float64);
        using var k = torch.tensor(new long[] { 2 });
        using var squared = Compute(backend, p, k, normalization: EmdNormalization.None, inputType: EmdInput.Probabilities);
        using var w1 = Compute(backend, p, k, power: 1, normalization: EmdNormalization.None, inputType: EmdInput.Probabilities);
        using var paper = Compute(backend, p, k, inputType: EmdInput.Probabilities);
        Assert.Equal(0.53, squared.ToDouble(), 12);
        Assert.Equal(0.9, w1.ToDouble(), 12);
        Assert.Equal(0.53 / 3, paper.ToDouble(), 12);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void The_squared_cdf_loss_is_not_w2_squared(string backend)
    {
        // docs/math.md §2: p = [.5, 0, .5], k = 1: sum of squared CDF differences 0.5 (W1 = 1.0, W2² = 1.0).
        using var p = torch.tensor(new[] { 0.5, 0.0, 0.5 }, 1, 3, dtype: ScalarType.Float64);
        using var k = torch.tensor(new long[] { 1 });
        using var squared = Compute(backend, p, k, normalization: EmdNormalization.None, inputType: EmdInput.Probabilities);
        using var w1 = Compute(backend, p, k, power: 1, normalization: EmdNormalization.None, inputType: EmdInput.Probabilities);
        Assert.Equal(0.5, squared.ToDouble(), 12);
        Assert.Equal(1.0, w1.ToDouble(), 12);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Equals_dlordinal_emd_loss_in_the_sum_form(string backend)
    {
        // dlordinal's EMDLoss (no 1/C), batch mean, published value 0.506875.
        using var p = torch.tensor(new[] { .2, .4, .2, .2, .7, .1, .1, .1, .5, .05, .1, .35, .1, .05, .65, .2 }, 4, 4, dtype: ScalarType.Float64);
        using var k = torch.tensor(new long[] { 0, 0, 3, 2 });
        using var loss = Compute(backend, p, k, normalization: EmdNormalization.None, inputType: EmdInput.Probabilities);
        Assert.Equal(0.506875, loss.ToDouble(), 12);
    }

    [Fact]
    public void Scipy_published_values_of_the_spec_with_positions()
    {
        // SciPy's documented examples: wasserstein_distance([0,1],[0,1],[3,1],[2,2]) = 0.25, energy_distance([0,8],[0,8],[3,1],[2,2]) = 1.0000000000000002.
        // As weights of two-point distributions: p = [.75, .25], t = [.5, .5].
        using var p = torch.tensor(new[] { 0.75, 0.25 }, 1, 2, dtype: ScalarType.Float64);
        using var t = torch.tensor(new[] { 0.5, 0.5 }, 1, 2, dtype: ScalarType.Float64);
        using var w1 = earthmover.nn.functional.squared_emd_loss(p, t, p: 1, positions: [0.0, 1.0], normalization: EmdNormalization.None, input_type: EmdInput.Probabilities);
        using var l2 = earthmover.nn.functional.squared_emd_loss(p, t, p: 2, positions: [0.0, 8.0], normalization: EmdNormalization.None, input_type: EmdInput.Probabilities);
        Assert.Equal(0.25, w1.ToDouble(), 12);
        Assert.Equal(1.0000000000000002 * 1.0000000000000002 / 2, l2.ToDouble(), 12);
    }

    public static TheoryData<string, int> ReferenceCases() => Backends.WithCases(ReferenceData.Ordinal.Cases.Count);

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void Equals_scipy_wasserstein_for_l1_and_half_squared_energy_distance_for_l2(string backend, int index)
    {
        var c = ReferenceData.Ordinal.Cases[index];
        using var z = Tensors.Matrix(c.Logits);
        using var target = c.Target_Indices is { } k ? Tensors.Indices(k) : Tensors.Matrix(c.Target_Distributions!);
        using var l1 = Compute(backend, z, target, power: 1, positions: c.Positions, normalization: EmdNormalization.None, reduction: Reduction.None);
        using var l2 = Compute(backend, z, target, power: 2, positions: c.Positions, normalization: EmdNormalization.None, reduction: Reduction.None);
        using var paper = Compute(backend, z, target, power: 2, positions: c.Positions, reduction: Reduction.None);
        var got1 = Tensors.ToDoubles(l1);
        var got2 = Tensors.ToDoubles(l2);
        var gotPaper = Tensors.ToDoubles(paper);
        for (int i = 0; i < got1.Length; i++)
        {
            Assert.Equal(c.Wasserstein_L1[i], got1[i], 1e-12);
            Assert.Equal(c.Energy_Half_Squared_L2[i], got2[i], 1e-12);
            Assert.Equal(c.Energy_Half_Squared_L2[i] / c.Classes, gotPaper[i], 1e-12);
        }
    }

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void Float32_agrees_with_the_reference_to_single_precision(string backend, int index)
    {
        var c = ReferenceData.Ordinal.Cases[index];
        using var z = Tensors.Matrix(c.Logits, ScalarType.Float32);
        using var target = c.Target_Indices is { } k ? Tensors.Indices(k) : Tensors.Matrix(c.Target_Distributions!, ScalarType.Float32);
        using var l2 = Compute(backend, z, target, power: 2, positions: c.Positions, normalization: EmdNormalization.None, reduction: Reduction.None);
        Assert.Equal(ScalarType.Float32, l2.dtype);
        var got = Tensors.ToDoubles(l2);
        double scale = c.Positions[^1] - c.Positions[0];
        for (int i = 0; i < got.Length; i++)
        {
            Assert.Equal(c.Energy_Half_Squared_L2[i], got[i], 2e-5 * Math.Max(1, scale));
        }
    }

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void Root_is_the_per_sample_root_of_the_power(string backend, int index)
    {
        var c = ReferenceData.Ordinal.Cases[index];
        using var z = Tensors.Matrix(c.Logits);
        using var target = c.Target_Indices is { } k ? Tensors.Indices(k) : Tensors.Matrix(c.Target_Distributions!);
        using var rooted = Compute(backend, z, target, power: 2, root: true, positions: c.Positions, normalization: EmdNormalization.None);
        // Mean over samples of the per-sample root: sqrt(energy²/2) per sample, not the root of the batch mean.
        double expected = c.Energy_Half_Squared_L2.Select(Math.Sqrt).Average();
        Assert.Equal(expected, rooted.ToDouble(), 1e-12);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Reductions_and_sample_weights_combine_the_per_sample_values(string backend)
    {
        var c = ReferenceData.Ordinal.Cases[3];
        using var z = Tensors.Matrix(c.Logits);
        using var target = c.Target_Indices is { } k ? Tensors.Indices(k) : Tensors.Matrix(c.Target_Distributions!);
        var w = new[] { 0.5, 2.0, 0.0, 1.5 };
        using var weight = torch.tensor(w, dtype: ScalarType.Float64);
        var each = c.Energy_Half_Squared_L2;
        double weightedSum = each.Zip(w, (a, b) => a * b).Sum();

        using var mean = Compute(backend, z, target, positions: c.Positions, normalization: EmdNormalization.None);
        using var sum = Compute(backend, z, target, positions: c.Positions, normalization: EmdNormalization.None, reduction: Reduction.Sum);
        using var weightedMean = Compute(backend, z, target, positions: c.Positions, normalization: EmdNormalization.None, weight: weight);
        using var weightedTotal = Compute(backend, z, target, positions: c.Positions, normalization: EmdNormalization.None, weight: weight, reduction: Reduction.Sum);
        using var weightedNone = Compute(backend, z, target, positions: c.Positions, normalization: EmdNormalization.None, weight: weight, reduction: Reduction.None);

        Assert.Equal(each.Average(), mean.ToDouble(), 1e-12);
        Assert.Equal(each.Sum(), sum.ToDouble(), 1e-12);
        Assert.Equal(weightedSum / w.Sum(), weightedMean.ToDouble(), 1e-12);
        Assert.Equal(weightedSum, weightedTotal.ToDouble(), 1e-12);
        Assert.Equal(each.Zip(w, (a, b) => a * b).ToArray(), Tensors.ToDoubles(weightedNone), new ToleranceComparer(1e-12));
    }

    [Fact]
    public void Function_factory_and_module_give_the_same_value()
    {
        var c = ReferenceData.Ordinal.Cases[5];
        using var z = Tensors.Matrix(c.Logits);
        using var target = Tensors.Indices(c.Target_Indices!);
        using var module = earthmover.nn.SquaredEMDLoss(p: 1, positions: c.Positions, normalization: EmdNormalization.None);
        using var fromModule = module.call(z, target);
        using var fromFunction = earthmover.nn.functional.squared_emd_loss(z, target, p: 1, positions: c.Positions, normalization: EmdNormalization.None);
        Assert.Equal(c.Wasserstein_L1.Average(), fromModule.ToDouble(), 1e-12);
        Assert.Equal(fromFunction.ToDouble(), fromModule.ToDouble());
        Assert.Equal(LossDefaults.P, earthmover.nn.SquaredEMDLoss().p);
        Assert.Equal(Reduction.Mean, earthmover.nn.SquaredEMDLoss().reduction);
    }

    [Fact]
    public void Zero_when_the_prediction_equals_a_one_hot_target()
    {
        using var p = torch.tensor(new[] { 0.0, 1.0, 0.0, 0.0 }, 1, 4, dtype: ScalarType.Float64);
        using var k = torch.tensor(new long[] { 1 });
        using var loss = earthmover.nn.functional.squared_emd_loss(p, k, input_type: EmdInput.Probabilities);
        Assert.Equal(0.0, loss.ToDouble());
    }
}
