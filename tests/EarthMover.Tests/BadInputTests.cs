using EarthMover.Kernels;
using EarthMover.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Tests;

/// <summary>Bad input gives an ArgumentException naming the parameter and the problem, on both backends.</summary>
public class BadInputTests
{
    private static Tensor Emd(string backend, Tensor input, Tensor target, double power = 2, double[]? positions = null, EmdInput inputType = EmdInput.Logits, Tensor? weight = null) =>
        SquaredEmd.Compute(input, target, power, false, positions, EmdNormalization.Paper, inputType, weight, Reduction.Mean, Backends.Parse(backend));

    private static void Throws(string parameter, string fragment, Action action)
    {
        var e = Assert.ThrowsAny<ArgumentException>(action);
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Shape_mismatches_name_the_parameter(string backend)
    {
        using var z = torch.randn(4, 5);
        Throws("target", "4 rows", () => Emd(backend, z, torch.tensor(new long[] { 0, 1, 2 })));
        Throws("target", "must match", () => Emd(backend, z, torch.rand(4, 6)));
        Throws("input", "2-D", () => Emd(backend, torch.randn(4), torch.tensor(new long[] { 0, 1, 2, 3 })));
        Throws("input", "empty batch", () => Emd(backend, torch.randn(0, 5), torch.zeros(0, dtype: ScalarType.Int64)));
        Throws("target", "int64", () => Emd(backend, z, torch.tensor(new float[] { 0, 1, 2, 3 })));
        Throws("sample_weight", "one weight per sample", () => Emd(backend, z, torch.tensor(new long[] { 0, 1, 2, 3 }), weight: torch.ones(3)));
        Throws("input", "floating-point", () => Emd(backend, torch.ones(4, 5, dtype: ScalarType.Int64), torch.tensor(new long[] { 0, 1, 2, 3 })));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Fewer_than_two_classes_is_refused(string backend)
    {
        Throws("input", "C >= 2", () => Emd(backend, torch.randn(3, 1), torch.tensor(new long[] { 0, 0, 0 })));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Class_index_out_of_range_is_refused(string backend)
    {
        using var z = torch.randn(3, 4);
        Throws("target", "[0, 4)", () => Emd(backend, z, torch.tensor(new long[] { 0, 4, 1 })));
        Throws("target", "[0, 4)", () => Emd(backend, z, torch.tensor(new long[] { 0, -1, 1 })));
        var d = GroundDistance.Evenly(4);
        Throws("target", "[0, 4)", () => GroundEmd.Compute(z, torch.tensor(new long[] { 9, 0, 1 }), d, EmdInput.Logits, null, Reduction.Mean, Backends.Parse(backend)));
        var w = XemdWeights.FromDistance(d, XemdPreset.Xemd1);
        Throws("target", "[0, 4)", () => Xemd.Compute(z, torch.tensor(new long[] { 0, 0, 100 }), w, EmdInput.Logits, null, Reduction.Mean, Backends.Parse(backend)));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Soft_targets_must_be_distributions(string backend)
    {
        using var z = torch.randn(2, 3);
        Throws("target", "distribution", () => Emd(backend, z, torch.tensor(new float[] { 0.5f, 0.5f, 0, 1.2f, -0.2f, 0 }, 2, 3)));
        Throws("target", "distribution", () => Emd(backend, z, torch.tensor(new float[] { 0.5f, 0.5f, 0, 0.5f, 0.4f, 0 }, 2, 3)));
        // Within the stated tolerance is accepted.
        using var ok = Emd(backend, z, torch.tensor(new float[] { 0.5f, 0.5f, 0, 0.5f, 0.4995f, 0 }, 2, 3));
        Assert.True(double.IsFinite(ok.ToDouble()));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Probabilities_must_be_distributions(string backend)
    {
        Throws("input", "distribution", () => Emd(backend, torch.tensor(new float[] { 0.5f, 0.6f }, 1, 2), torch.tensor(new long[] { 0 }), inputType: EmdInput.Probabilities));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Non_finite_logits_are_reported_not_turned_into_nan(string backend)
    {
        Throws("input", "NaN or infinite", () => Emd(backend, torch.tensor(new[] { 0f, float.NaN, 1f }, 1, 3), torch.tensor(new long[] { 0 })));
        Throws("input", "NaN or infinite", () => Emd(backend, torch.tensor(new[] { 0f, float.PositiveInfinity, 1f }, 1, 3), torch.tensor(new long[] { 0 })));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Finite_logits_near_the_types_limit_are_accepted(string backend)
    {
        // Found by the property tests: the row's plain sum overflows here, but every logit is finite.
        foreach (var (dtype, huge) in new[] { (ScalarType.Float32, 3e38), (ScalarType.Float64, 1.5e308) })
        {
            using var z = torch.tensor(new[] { huge, huge, -huge, 0 }, 1, 4, dtype: ScalarType.Float64).to(dtype);
            using var loss = Emd(backend, z, torch.tensor(new long[] { 1 }));
            // p = (1/2, 1/2, 0, 0), class 1: CDF differences (1/2, 0, 0), so (1/4) · 1/4.
            Assert.Equal(1.0 / 16, loss.ToDouble(), 6);
        }
    }

    [Fact]
    public void Positions_must_be_increasing_and_one_per_class()
    {
        using var z = torch.randn(2, 3);
        using var k = torch.tensor(new long[] { 0, 2 });
        Throws("positions", "strictly increasing", () => Emd("Fused", z, k, positions: [0, 2, 2]));
        Throws("positions", "strictly increasing", () => Emd("Fused", z, k, positions: [0, 3, 2]));
        Throws("positions", "one position per class", () => Emd("Fused", z, k, positions: [0, 1]));
        Throws("positions", "finite", () => Emd("Fused", z, k, positions: [0, 1, double.NaN]));
        Throws("positions", "strictly increasing", () => earthmover.nn.SquaredEMDLoss(positions: [1.0, 0.0]));
    }

    [Fact]
    public void Exponent_below_one_is_refused()
    {
        using var z = torch.randn(2, 3);
        using var k = torch.tensor(new long[] { 0, 2 });
        Throws("p", ">= 1", () => Emd("Fused", z, k, power: 0.5));
        Throws("p", ">= 1", () => Emd("Fused", z, k, power: double.NaN));
        Throws("p", ">= 1", () => earthmover.nn.SquaredEMDLoss(p: 0));
    }

    [Fact]
    public void Distance_matrices_are_checked_once_when_made()
    {
        Throws("distance", "square", () => GroundDistance.FromMatrix(torch.zeros(3, 4)));
        Throws("distance", ">= 0", () => GroundDistance.FromMatrix(new double[,] { { 0, -1 }, { 1, 0 } }));
        Throws("distance", "diagonal", () => GroundDistance.FromMatrix(new double[,] { { 0, 1 }, { 1, 0.5 } }));
        Throws("distance", "finite", () => GroundDistance.FromMatrix(new double[,] { { 0, double.NaN }, { 1, 0 } }));
        Throws("distance", "C >= 2", () => GroundDistance.FromMatrix(new double[,] { { 0 } }));
        Throws("weights", "finite", () => XemdWeights.FromMatrix(new double[,] { { 1, double.PositiveInfinity }, { 0, 1 } }));
        using var z = torch.randn(2, 3);
        using var k = torch.tensor(new long[] { 0, 2 });
        Throws("distance", "3 classes", () => earthmover.nn.functional.ground_emd_loss(z, k, GroundDistance.Evenly(4)));
        Throws("xemd_weights", "3 classes", () => earthmover.nn.functional.xemd_loss(z, k, XemdWeights.FromDistance(GroundDistance.Evenly(5), XemdPreset.Xemd1)));
        Throws("target", "one-hot", () => earthmover.nn.functional.ground_emd_loss(z, torch.rand(2, 3).softmax(1), GroundDistance.Evenly(3)));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Sample_weights_must_be_finite_and_non_negative_with_a_positive_sum_for_the_mean(string backend)
    {
        using var z = torch.randn(2, 3);
        using var k = torch.tensor(new long[] { 0, 2 });
        Throws("sample_weight", ">= 0", () => Emd(backend, z, k, weight: torch.tensor(new[] { 1f, -1f })));
        Throws("sample_weight", ">= 0", () => Emd(backend, z, k, weight: torch.tensor(new[] { 1f, float.NaN })));
        Throws("sample_weight", ">= 0", () => Emd(backend, z, k, weight: torch.tensor(new[] { 1f, float.PositiveInfinity })));
        Throws("sample_weight", "sum to 0", () => Emd(backend, z, k, weight: torch.zeros(2)));
        Throws("sample_weight", "floating point", () => Emd(backend, z, k, weight: torch.ones(2, dtype: ScalarType.Int64)));
        // The sum of zero-weighted losses is defined: 0.
        using var sum = SquaredEmd.Compute(z, k, 2, false, null, EmdNormalization.Paper, EmdInput.Logits, torch.zeros(2), Reduction.Sum, Backends.Parse(backend));
        Assert.Equal(0.0, sum.ToDouble());
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Class_weights_must_match_the_classes_and_targets_must_be_indices(string backend)
    {
        using var z = torch.randn(4, 3);
        using var k = torch.tensor(new long[] { 0, 2, 1, 1 });
        var b = Backends.Parse(backend);
        Tensor Weighted(Tensor target, Tensor classWeight, Reduction reduction = Reduction.Mean) =>
            SquaredEmd.Compute(z, target, 2, false, null, EmdNormalization.Paper, EmdInput.Logits, null, reduction, b, classWeight);
        // A per-sample vector passed as the class weight names the other parameter.
        Throws("weight", "sample_weight", () => Weighted(k, torch.ones(4)));
        Throws("weight", "one weight per class (3)", () => Weighted(k, torch.ones(3, 1)));
        Throws("weight", ">= 0", () => Weighted(k, torch.tensor(new[] { 1f, -1f, 1f })));
        Throws("weight", ">= 0", () => Weighted(k, torch.tensor(new[] { 1f, float.NaN, 1f })));
        Throws("weight", "floating point", () => Weighted(k, torch.ones(3, dtype: ScalarType.Int32)));
        Throws("weight", "class-index targets", () => Weighted(torch.rand(4, 3).softmax(1), torch.ones(3)));
        // Only the weights of the classes present count: here they are 0, and the mean is 0/0.
        Throws("weight", "sum to 0", () => Weighted(k, torch.tensor(new[] { 0f, 0f, 0f })));
        Throws("target", "[0, 3)", () => Weighted(torch.tensor(new long[] { 0, 3, 1, 1 }), torch.ones(3)));
        Throws("weight", "one weight per class", () => earthmover.nn.functional.ground_emd_loss(z, k, GroundDistance.Evenly(3), weight: torch.ones(2)));
        Throws("weight", ">= 0", () => earthmover.nn.SquaredEMDLoss(weight: torch.tensor(new[] { 1f, -1f, 1f })));
        Throws("weight", "per class", () => earthmover.nn.XEMDLoss(XemdWeights.FromDistance(GroundDistance.Evenly(3), XemdPreset.Xemd1), weight: torch.ones(3, 3)));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Huge_logits_give_finite_loss_and_gradients(string backend)
    {
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            using var z = (torch.tensor(new[] { 1e4, -1e4, 0, 1e4, 1e4, -1e4, -1e4, 5e3 }, 2, 4, dtype: ScalarType.Float64)).to(dtype).requires_grad_();
            using var k = torch.tensor(new long[] { 1, 3 });
            var d = GroundDistance.Evenly(4);
            foreach (var loss in new[]
            {
                SquaredEmd.Compute(z, k, 2, false, null, EmdNormalization.Paper, EmdInput.Logits, null, Reduction.Mean, Backends.Parse(backend)),
                SquaredEmd.Compute(z, k, 2, true, null, EmdNormalization.Paper, EmdInput.Logits, null, Reduction.Mean, Backends.Parse(backend)),
                SquaredEmd.Compute(z, k, 1.5, false, null, EmdNormalization.Paper, EmdInput.Logits, null, Reduction.Mean, Backends.Parse(backend)),
                GroundEmd.Compute(z, k, d, EmdInput.Logits, null, Reduction.Mean, Backends.Parse(backend)),
                Xemd.Compute(z, k, XemdWeights.FromDistance(d, XemdPreset.Xemd2), EmdInput.Logits, null, Reduction.Mean, Backends.Parse(backend)),
            })
            {
                z.grad?.zero_();
                loss.backward();
                Assert.True(double.IsFinite(loss.ToDouble()));
                Assert.True(torch.isfinite(z.grad!).all().ToBoolean());
            }
            // Row 0: all mass on class 0 and 3 equally, target 1: CDF differences (.5, .5, .5) → (1/4)(3 · .25).
            using var check = earthmover.nn.functional.squared_emd_loss(z.detach()[..1], k[..1]);
            Assert.Equal(0.1875, check.ToDouble(), 6);
        }
    }
}
