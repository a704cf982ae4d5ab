using EarthMover.Kernels;
using EarthMover.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Tests;

/// <summary>The exact EMD to one-hot targets against POT's network simplex and values worked by hand.</summary>
public class GroundEmdLossTests
{
    public static TheoryData<string, int> ReferenceCases() => Backends.WithCases(ReferenceData.Ground.Cases.Count);

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void Equals_pot_emd2(string backend, int index)
    {
        var c = ReferenceData.Ground.Cases[index];
        var distance = GroundDistance.FromMatrix(Tensors.Array2D(c.Distance));
        using var z = Tensors.Matrix(c.Logits);
        using var k = Tensors.Indices(c.Target_Indices);
        using var each = GroundEmd.Compute(z, k, distance, EmdInput.Logits, null, Reduction.None, Backends.Parse(backend));
        Assert.Equal(c.Emd, Tensors.ToDoubles(each), new ToleranceComparer(1e-10));

        using var z32 = Tensors.Matrix(c.Logits, ScalarType.Float32);
        using var mean32 = GroundEmd.Compute(z32, k, distance, EmdInput.Logits, null, Reduction.Mean, Backends.Parse(backend));
        Assert.Equal(c.Emd.Average(), mean32.ToDouble(), 1e-5 * Math.Max(1, c.Emd.Max()));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Positions_with_w1_and_w2_give_the_spec_values_of_the_trap(string backend)
    {
        // docs/math.md §2: p = [.5, 0, .5], k = 1: W1 = 1.0, W2² = 1.0 (while the squared-CDF loss is 0.5).
        using var p = torch.tensor(new[] { 0.5, 0.0, 0.5 }, 1, 3, dtype: ScalarType.Float64);
        using var k = torch.tensor(new long[] { 1 });
        using var w1 = GroundEmd.Compute(p, k, GroundDistance.Evenly(3, 1), EmdInput.Probabilities, null, Reduction.Mean, Backends.Parse(backend));
        using var w2 = GroundEmd.Compute(p, k, GroundDistance.Evenly(3, 2), EmdInput.Probabilities, null, Reduction.Mean, Backends.Parse(backend));
        Assert.Equal(1.0, w1.ToDouble(), 12);
        Assert.Equal(1.0, w2.ToDouble(), 12);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Hand_checked_example(string backend)
    {
        // Worked by hand: p = [.2, .5, .3], k = 2: W1 0.9, W2² 1.3.
        using var p = torch.tensor(new[] { 0.2, 0.5, 0.3 }, 1, 3, dtype: ScalarType.Float64);
        using var k = torch.tensor(new long[] { 2 });
        using var w1 = GroundEmd.Compute(p, k, GroundDistance.Evenly(3, 1), EmdInput.Probabilities, null, Reduction.Mean, Backends.Parse(backend));
        using var w2 = GroundEmd.Compute(p, k, GroundDistance.Evenly(3, 2), EmdInput.Probabilities, null, Reduction.Mean, Backends.Parse(backend));
        Assert.Equal(0.9, w1.ToDouble(), 12);
        Assert.Equal(1.3, w2.ToDouble(), 12);
    }

    [Fact]
    public void With_w1_on_a_line_it_equals_the_l1_cdf_loss()
    {
        // Two independent formulas for W1 on a line: Σ p_i |x_i - x_k| and Σ gaps · |P - T|.
        var c = ReferenceData.Ordinal.Cases[1];
        using var z = Tensors.Matrix(c.Logits);
        using var k = Tensors.Indices(c.Target_Indices!);
        using var ground = earthmover.nn.functional.ground_emd_loss(z, k, GroundDistance.FromPositions(c.Positions));
        using var module = earthmover.nn.GroundEMDLoss(GroundDistance.FromPositions(c.Positions));
        using var fromModule = module.call(z, k);
        Assert.Equal(c.Wasserstein_L1.Average(), ground.ToDouble(), 1e-12);
        Assert.Equal(ground.ToDouble(), fromModule.ToDouble());
    }

    [Fact]
    public void Distance_builders_give_the_expected_matrices()
    {
        var d = GroundDistance.FromPositions([0.0, 1.0, 3.0], 2);
        Assert.Equal(new double[,] { { 0, 1, 9 }, { 1, 0, 4 }, { 9, 4, 0 } }, d.ToArray());
        using var tensor = d.ToTensor(ScalarType.Float32);
        Assert.Equal(new long[] { 3, 3 }, tensor.shape);
        Assert.Equal(4.0f, tensor[1, 2].ToSingle());
        Assert.Equal(2.0, GroundDistance.Evenly(4)[1, 3]);
    }
}
