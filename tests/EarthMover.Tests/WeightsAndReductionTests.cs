using EarthMover.Kernels;
using EarthMover.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Tests;

/// <summary>
/// Per-class weight, per-sample sample_weight and the reductions (docs/math.md §7), on both backends, for every
/// loss: the rule of TorchSharp's cross_entropy, the empty batch, and gradients of targets and weights.
/// </summary>
public class WeightsAndReductionTests
{
    private const int Classes = 5;

    public static TheoryData<string, string> LossesAndBackends()
    {
        var data = new TheoryData<string, string>();
        foreach (var loss in new[] { "squared", "ground", "xemd" })
        {
            foreach (var backend in new[] { nameof(LossBackend.Fused), nameof(LossBackend.TensorOps) })
            {
                data.Add(loss, backend);
            }
        }
        return data;
    }

    private static Tensor Loss(string loss, string backend, Tensor z, Tensor k, Tensor? weight, Tensor? sampleWeight, Reduction reduction)
    {
        var b = Backends.Parse(backend);
        var d = GroundDistance.Evenly((int)z.size(1), p: 2);
        return loss switch
        {
            "squared" => SquaredEmd.Compute(z, k, 2, false, null, EmdNormalization.Paper, EmdInput.Logits, sampleWeight, reduction, b, weight),
            "ground" => GroundEmd.Compute(z, k, d, EmdInput.Logits, sampleWeight, reduction, b, weight),
            _ => Xemd.Compute(z, k, XemdWeights.FromDistance(d, XemdPreset.Xemd2), EmdInput.Logits, sampleWeight, reduction, b, weight),
        };
    }

    [Theory]
    [MemberData(nameof(LossesAndBackends))]
    public void Class_and_sample_weights_weigh_each_sample_and_the_mean_divides_by_the_weights_used(string loss, string backend)
    {
        using var z = torch.randn(7, Classes, dtype: ScalarType.Float64, generator: torch.manual_seed(11)) * 2;
        using var k = torch.tensor(new long[] { 0, 4, 4, 2, 1, 0, 4 });
        var perClass = new[] { 0.5, 2.0, 0.0, 1.0, 3.0 };
        var perSample = new[] { 1.0, 0.25, 2.0, 1.0, 0.0, 1.5, 1.0 };
        using var w = torch.tensor(perClass, dtype: ScalarType.Float64);
        using var s = torch.tensor(perSample, dtype: ScalarType.Float64);
        using var plain = Loss(loss, backend, z, k, null, null, Reduction.None);
        var l = Tensors.ToDoubles(plain);
        var labels = Tensors.ToDoubles(k).Select(v => (int)v).ToArray();
        var byClass = labels.Select(c => perClass[c]).ToArray();
        var both = byClass.Zip(perSample, (a, b) => a * b).ToArray();

        using var none = Loss(loss, backend, z, k, w, null, Reduction.None);
        Assert.Equal(l.Zip(byClass, (a, b) => a * b).ToArray(), Tensors.ToDoubles(none), new ToleranceComparer(1e-13));
        using var mean = Loss(loss, backend, z, k, w, null, Reduction.Mean);
        Near(l.Zip(byClass, (a, b) => a * b).Sum() / byClass.Sum(), mean.ToDouble());
        using var sum = Loss(loss, backend, z, k, w, s, Reduction.Sum);
        Near(l.Zip(both, (a, b) => a * b).Sum(), sum.ToDouble());
        using var bothMean = Loss(loss, backend, z, k, w, s, Reduction.Mean);
        Near(l.Zip(both, (a, b) => a * b).Sum() / both.Sum(), bothMean.ToDouble());
    }

    // A few roundings of the batch's sums apart (libtorch's reductions may add in another order from call to call;
    // seen once, 1e-14 absolute, on a loss near 10); a weight read wrongly moves the value by far more.
    private static void Near(double expected, double actual) =>
        Assert.True(Math.Abs(actual - expected) <= 1e-13 * Math.Max(1, Math.Abs(expected)), $"{actual:R}, expected {expected:R}");

    [Fact]
    public void The_rule_is_that_of_torchsharps_cross_entropy()
    {
        // What the test above encodes, checked against TorchSharp itself: sample i weighs weight[target_i], and the
        // mean divides by the sum of those weights.
        using var z = torch.randn(9, Classes, dtype: ScalarType.Float64, generator: torch.manual_seed(12));
        using var k = torch.tensor(new long[] { 0, 4, 4, 2, 1, 0, 4, 3, 3 });
        using var w = torch.tensor(new[] { 0.5, 2.0, 0.0, 1.0, 3.0 }, dtype: ScalarType.Float64);
        using var each = nn.functional.cross_entropy(z, k, reduction: Reduction.None);
        using var weighted = nn.functional.cross_entropy(z, k, weight: w);
        using var perSample = w.index_select(0, k);
        Assert.Equal(((each * perSample).sum() / perSample.sum()).ToDouble(), weighted.ToDouble(), 1e-14);
    }

    [Theory]
    [MemberData(nameof(LossesAndBackends))]
    public void A_class_weight_vector_is_never_read_per_sample_when_the_batch_has_c_rows(string loss, string backend)
    {
        // N = C: every sample is of class 0; weight = (1, 0, 0, 0, 0) keeps them all (read per sample it would keep one).
        using var z = torch.randn(Classes, Classes, dtype: ScalarType.Float64, generator: torch.manual_seed(13));
        using var k = torch.zeros(Classes, dtype: ScalarType.Int64);
        using var w = torch.tensor(new[] { 1.0, 0, 0, 0, 0 }, dtype: ScalarType.Float64);
        using var weighted = Loss(loss, backend, z, k, w, null, Reduction.Mean);
        using var plain = Loss(loss, backend, z, k, null, null, Reduction.Mean);
        Assert.Equal(plain.ToDouble(), weighted.ToDouble(), 1e-14);
    }

    [Theory]
    [MemberData(nameof(LossesAndBackends))]
    public void Weighted_gradients_agree_between_backends_and_with_finite_differences(string loss, string backend)
    {
        using var z0 = torch.randn(6, Classes, dtype: ScalarType.Float64, generator: torch.manual_seed(14));
        using var k = torch.tensor(new long[] { 0, 1, 4, 4, 2, 3 });
        using var w = torch.tensor(new[] { 0.5, 2.0, 1.0, 1.0, 3.0 }, dtype: ScalarType.Float64);
        using var s = torch.tensor(new[] { 1.0, 0.5, 2.0, 0.0, 1.0, 1.0 }, dtype: ScalarType.Float64);
        using var z = z0.clone().requires_grad_();
        Loss(loss, backend, z, k, w, s, Reduction.Mean).backward();
        var analytic = Tensors.ToDoubles(z.grad!);
        var point = Tensors.ToDoubles(z0);
        const double h = 1e-6;
        using var noGrad = torch.no_grad();
        for (int i = 0; i < point.Length; i++)
        {
            double Value(double step)
            {
                var moved = (double[])point.Clone();
                moved[i] += step;
                using var t = torch.tensor(moved, 6, Classes, dtype: ScalarType.Float64);
                using var v = Loss(loss, backend, t, k, w, s, Reduction.Mean);
                return v.ToDouble();
            }
            Assert.Equal((Value(h) - Value(-h)) / (2 * h), analytic[i], 1e-8);
        }
    }

    [Theory]
    [MemberData(nameof(LossesAndBackends))]
    public void The_empty_batch_sums_to_zero_gives_no_rows_and_refuses_the_mean(string loss, string backend)
    {
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            using var z = torch.zeros(0, Classes, dtype: dtype).requires_grad_();
            using var k = torch.zeros(0, dtype: ScalarType.Int64);
            using var s = torch.zeros(0, dtype: dtype);
            using var w = torch.ones(Classes, dtype: dtype);
            using var sum = Loss(loss, backend, z, k, w, s, Reduction.Sum);
            Assert.Equal(0.0, sum.ToDouble());
            Assert.Equal(dtype, sum.dtype);
            sum.backward();
            Assert.Equal([0L, Classes], z.grad!.shape);
            using var none = Loss(loss, backend, z, k, null, null, Reduction.None);
            Assert.Equal([0L], none.shape);
            var e = Assert.Throws<ArgumentException>(() => Loss(loss, backend, z, k, null, null, Reduction.Mean));
            Assert.Equal("input", e.ParamName);
            Assert.Contains("empty batch", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_module_keeps_its_class_weight_as_a_buffer_without_owning_the_callers_tensor()
    {
        using var w = torch.tensor(new[] { 0.5, 2.0, 0.0, 1.0, 3.0 }, dtype: ScalarType.Float64);
        using var z = torch.randn(4, Classes, dtype: ScalarType.Float64, generator: torch.manual_seed(15));
        using var k = torch.tensor(new long[] { 0, 4, 1, 3 });
        using var s = torch.tensor(new[] { 1.0, 2.0, 0.5, 1.0 }, dtype: ScalarType.Float64);
        using (var module = earthmover.nn.SquaredEMDLoss(weight: w))
        {
            Assert.Equal(["weight"], module.state_dict().Keys.ToArray());
            Assert.Equal(Tensors.ToDoubles(w), Tensors.ToDoubles(module.weight!));
            using var fromModule = module.call(z, k);
            using var fromFunction = earthmover.nn.functional.squared_emd_loss(z, k, weight: w);
            Assert.Equal(fromFunction.ToDouble(), fromModule.ToDouble());
            using var withSamples = module.forward(z, k, s);
            using var expected = earthmover.nn.functional.squared_emd_loss(z, k, weight: w, sample_weight: s);
            Assert.Equal(expected.ToDouble(), withSamples.ToDouble());
            using var ground = earthmover.nn.GroundEMDLoss(GroundDistance.Evenly(Classes), weight: w);
            using var xemd = earthmover.nn.XEMDLoss(XemdWeights.FromDistance(GroundDistance.Evenly(Classes), XemdPreset.Xemd1), weight: w);
            Assert.Equal(["weight"], ground.state_dict().Keys.ToArray());
            Assert.Equal(["weight"], xemd.state_dict().Keys.ToArray());
            Assert.Empty(earthmover.nn.GroundEMDLoss(GroundDistance.Evenly(Classes)).state_dict());
        }
        // Disposing the module left the caller's tensor alive.
        Assert.Equal(6.5, w.sum().ToDouble());
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void A_soft_target_or_a_weight_that_needs_a_gradient_gets_it(ScalarType dtype)
    {
        using var z = torch.randn(6, Classes, dtype: dtype, generator: torch.manual_seed(16)).requires_grad_();
        using var t = torch.randn(6, Classes, dtype: dtype, generator: torch.manual_seed(17)).softmax(1).detach().requires_grad_();
        using var s = torch.rand(6, dtype: dtype, generator: torch.manual_seed(18)).requires_grad_();
        var (zGrad, tGrad, sGrad) = Gradients(LossBackend.Auto);
        var (zRef, tRef, sRef) = Gradients(LossBackend.TensorOps);
        double tolerance = dtype == ScalarType.Float32 ? 1e-6 : 1e-14;
        Assert.Equal(zRef, zGrad, new ToleranceComparer(tolerance));
        Assert.Equal(tRef, tGrad, new ToleranceComparer(tolerance));
        Assert.Equal(sRef, sGrad, new ToleranceComparer(tolerance));
        Assert.Contains(tGrad, g => g != 0);

        (double[], double[], double[]) Gradients(LossBackend backend)
        {
            var grads = torch.autograd.grad(
                [SquaredEmd.Compute(z, t, 2, false, null, EmdNormalization.Paper, EmdInput.Logits, s, Reduction.Mean, backend)],
                [z, t, s]);
            return (Tensors.ToDoubles(grads[0]), Tensors.ToDoubles(grads[1]), Tensors.ToDoubles(grads[2]));
        }
    }
}
