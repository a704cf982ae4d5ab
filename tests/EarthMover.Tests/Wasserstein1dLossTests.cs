using EarthMover.Kernels.Rows;
using EarthMover.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Tests;

/// <summary>W_q on the line (the quantile coupling) against POT's wasserstein_1d, the exact solver and the CDF form.</summary>
public class Wasserstein1dLossTests
{
    public static TheoryData<int> ReferenceCases()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < TransportReference.Line.Cases.Count; i++)
        {
            data.Add(i);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void Equals_pot_wasserstein_1d(int index)
    {
        var c = TransportReference.Line.Cases[index];
        using var z = Tensors.Matrix(c.Logits);
        using var t = Tensors.Matrix(c.T);
        using var each = earthmover.nn.functional.wasserstein_1d_loss(z, t, c.Exponent, positions: c.Positions, reduction: Reduction.None);
        double scale = Math.Pow(c.Positions[^1] - c.Positions[0], c.Exponent);
        Assert.Equal(c.Wasserstein_Q_Power_Q, Tensors.ToDoubles(each), new ToleranceComparer(1e-12 * scale));
        using var rooted = earthmover.nn.functional.wasserstein_1d_loss(z, t, c.Exponent, root: true, positions: c.Positions, reduction: Reduction.None);
        Assert.Equal(c.Wasserstein_Q_Power_Q.Select(v => Math.Pow(v, 1 / c.Exponent)), Tensors.ToDoubles(rooted), new ToleranceComparer(1e-10 * scale));

        using var z32 = Tensors.Matrix(c.Logits, ScalarType.Float32);
        using var mean32 = earthmover.nn.functional.wasserstein_1d_loss(z32, t, c.Exponent, positions: c.Positions);
        Assert.Equal(c.Wasserstein_Q_Power_Q.Average(), mean32.ToDouble(), 1e-5 * scale);
    }

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void Equals_the_exact_solver_with_the_power_cost_and_the_cdf_form_only_for_q_1(int index)
    {
        var c = TransportReference.Line.Cases[index];
        using var z = Tensors.Matrix(c.Logits);
        using var t = Tensors.Matrix(c.T);
        using var line = earthmover.nn.functional.wasserstein_1d_loss(z, t, c.Exponent, positions: c.Positions, reduction: Reduction.None);
        using var solved = earthmover.nn.functional.emd_loss(z, t, GroundDistance.FromPositions(c.Positions, c.Exponent), reduction: Reduction.None);
        double scale = Math.Pow(c.Positions[^1] - c.Positions[0], c.Exponent);
        Assert.Equal(Tensors.ToDoubles(solved), Tensors.ToDoubles(line), new ToleranceComparer(1e-10 * scale));
        if (c.Exponent == 1)
        {
            Assert.Equal(c.Cdf_Form, Tensors.ToDoubles(line), new ToleranceComparer(1e-12 * scale));
        }
        else if (c.Classes > 2)
        {
            Assert.NotEqual(c.Cdf_Form, Tensors.ToDoubles(line), new ToleranceComparer(1e-6 * scale));
        }
    }

    [Fact]
    public void The_trap_of_the_cdf_form()
    {
        // p = [.5, 0, .5], class 1: W2² = 1 (half the mass moves 1 each way), the squared-CDF sum 0.5.
        using var p = torch.tensor(new[] { 0.5, 0.0, 0.5 }, 1, 3, dtype: ScalarType.Float64);
        using var k = torch.tensor(new long[] { 1 });
        using var w2 = earthmover.nn.functional.wasserstein_1d_loss(p, k, 2, input_type: EmdInput.Probabilities);
        using var cdf = earthmover.nn.functional.squared_emd_loss(p, k, 2, normalization: EmdNormalization.None, input_type: EmdInput.Probabilities);
        Assert.Equal(1.0, w2.ToDouble(), 15);
        Assert.Equal(0.5, cdf.ToDouble(), 15);
    }

    [Theory]
    [InlineData(1.0, false)]
    [InlineData(2.0, false)]
    [InlineData(3.0, true)]
    [InlineData(1.5, true)]
    public void Gradient_matches_finite_differences(double exponent, bool root)
    {
        var c = TransportReference.Line.Cases[4];
        using var z = Tensors.Matrix(c.Logits);
        using var t = Tensors.Matrix(c.T);
        using var w = torch.tensor(new[] { 0.5, 2, 0, 1.5 }, dtype: ScalarType.Float64);
        double[] x = [.. c.Positions];
        FiniteDifferences.AssertGradient(v => earthmover.nn.functional.wasserstein_1d_loss(v, t, exponent, root, x), z);
        FiniteDifferences.AssertGradient(v => earthmover.nn.functional.wasserstein_1d_loss(v, t, exponent, root, x, sample_weight: w, reduction: Reduction.None), z);
        using var p = z.softmax(1);
        FiniteDifferences.AssertGradient(v => earthmover.nn.functional.wasserstein_1d_loss(v, t, exponent, root, x, EmdInput.Probabilities, reduction: Reduction.Sum), p, centreRows: true);
    }

    [Fact]
    public void Staircase_potentials_are_optimal_duals_also_at_zero_masses_and_ties()
    {
        var random = new Random(5);
        foreach (double q in new[] { 1.0, 2.0, 3.0 })
        {
            for (int trial = 0; trial < 100; trial++)
            {
                int classes = 2 + trial % 7;
                var x = Enumerable.Range(0, classes).Select(i => (double)i * i / 2 + i).ToArray();
                var kernel = new LineWassersteinKernel(x, q, root: false);
                var p = Eighths(random, classes);
                var t = trial % 5 == 0 ? (double[])p.Clone() : Eighths(random, classes);
                var f = new double[classes];
                double value = kernel.Row(p, t, 0, f);
                var d = x.Select(a => x.Select(b => Math.Pow(Math.Abs(a - b), q)).ToArray()).ToArray();
                Assert.Equal(value, Certificate.DualObjective(d, f, p, t), 1e-10);
            }
        }
    }

    [Fact]
    public void Module_and_factory_equal_the_function_and_check_options()
    {
        var c = TransportReference.Line.Cases[5];
        using var z = Tensors.Matrix(c.Logits);
        using var t = Tensors.Matrix(c.T);
        using var module = earthmover.nn.Wasserstein1dLoss(c.Exponent, positions: c.Positions, reduction: Reduction.Sum);
        using var a = module.call(z, t);
        Assert.Equal(c.Wasserstein_Q_Power_Q.Sum(), a.ToDouble(), 1e-10);
        Assert.Equal("p", Assert.ThrowsAny<ArgumentException>(() => earthmover.nn.Wasserstein1dLoss(0.5)).ParamName);
        Assert.Equal("positions", Assert.ThrowsAny<ArgumentException>(() => earthmover.nn.Wasserstein1dLoss(positions: [0, 2, 1])).ParamName);
        Assert.Equal("positions", Assert.ThrowsAny<ArgumentException>(() => earthmover.nn.functional.wasserstein_1d_loss(z, t, positions: [0, 1])).ParamName);
    }

    private static double[] Eighths(Random random, int classes)
    {
        var p = new double[classes];
        for (int k = 0; k < 8; k++)
        {
            p[random.Next(classes)] += 0.125;
        }
        return p;
    }
}
