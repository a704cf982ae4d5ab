using EarthMover.Kernels;
using EarthMover.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Tests;

/// <summary>
/// The tensor-operation form (what runs on a GPU) on every available device (<see cref="Devices"/>): values against
/// SciPy and POT, gradients against the fused CPU kernel, value checks, weights, the empty batch and the learner.
/// Here that is the CPU; on a machine with a CUDA build of TorchSharp and a GPU the same tests run there too.
/// </summary>
public class DeviceTests
{
    private static Tensor On(string device, Tensor t) => t.to(Devices.Parse(device));

    [Theory]
    [MemberData(nameof(Devices.All), MemberType = typeof(Devices))]
    public void Values_equal_scipy_and_pot(string device)
    {
        foreach (var c in ReferenceData.Ordinal.Cases)
        {
            using var z = On(device, Tensors.Matrix(c.Logits));
            using var target = On(device, c.Target_Indices is { } k ? Tensors.Indices(k) : Tensors.Matrix(c.Target_Distributions!));
            using var l1 = SquaredEmd.Compute(z, target, 1, false, c.Positions, EmdNormalization.None, EmdInput.Logits, null, Reduction.None, LossBackend.TensorOps);
            using var l2 = SquaredEmd.Compute(z, target, 2, false, c.Positions, EmdNormalization.None, EmdInput.Logits, null, Reduction.None, LossBackend.TensorOps);
            Assert.Equal(Devices.Parse(device).type, l1.device_type);
            Assert.Equal(c.Wasserstein_L1, Tensors.ToDoubles(l1.cpu()), new ToleranceComparer(1e-10));
            Assert.Equal(c.Energy_Half_Squared_L2, Tensors.ToDoubles(l2.cpu()), new ToleranceComparer(1e-10));
        }
        foreach (var c in ReferenceData.Ground.Cases)
        {
            using var z = On(device, Tensors.Matrix(c.Logits));
            using var k = On(device, Tensors.Indices(c.Target_Indices));
            using var each = GroundEmd.Compute(z, k, GroundDistance.FromMatrix(Tensors.Array2D(c.Distance)), EmdInput.Logits, null, Reduction.None, LossBackend.TensorOps);
            Assert.Equal(c.Emd, Tensors.ToDoubles(each.cpu()), new ToleranceComparer(1e-10));
        }
        foreach (var c in ReferenceData.Xemd.Cases)
        {
            var preset = c.Presets["xemd2"];
            using var z = On(device, Tensors.Matrix(c.Logits));
            using var k = On(device, Tensors.Indices(c.Target_Indices));
            var weights = XemdWeights.FromDistance(GroundDistance.FromMatrix(Tensors.Array2D(c.Distance)), preset.Mu, preset.Power);
            using var each = Xemd.Compute(z, k, weights, EmdInput.Logits, null, Reduction.None, LossBackend.TensorOps);
            Assert.Equal(preset.Loss, Tensors.ToDoubles(each.cpu()), new ToleranceComparer(1e-12));
        }
    }

    [Theory]
    [MemberData(nameof(Devices.All), MemberType = typeof(Devices))]
    public void Weighted_gradients_equal_those_of_the_fused_cpu_kernel(string device)
    {
        const int classes = 7;
        using var z0 = torch.randn(9, classes, dtype: ScalarType.Float64, generator: torch.manual_seed(21)) * 2;
        using var k = torch.randint(0, classes, 9, dtype: ScalarType.Int64, generator: torch.manual_seed(22));
        using var soft = torch.randn(9, classes, dtype: ScalarType.Float64, generator: torch.manual_seed(23)).softmax(1);
        using var w = torch.rand(classes, dtype: ScalarType.Float64, generator: torch.manual_seed(24)) + 0.1;
        using var s = torch.rand(9, dtype: ScalarType.Float64, generator: torch.manual_seed(25));
        var d = GroundDistance.Evenly(classes, 2);
        var x = XemdWeights.FromDistance(d, XemdPreset.Xemd1);
        var losses = new Func<Tensor, Tensor, Tensor, Tensor, LossBackend, Tensor>[]
        {
            (z, t, sw, cw, b) => SquaredEmd.Compute(z, t, 2, true, null, EmdNormalization.Paper, EmdInput.Logits, sw, Reduction.Mean, b, cw),
            (z, t, sw, cw, b) => GroundEmd.Compute(z, t, d, EmdInput.Logits, sw, Reduction.Sum, b, cw),
            (z, t, sw, cw, b) => Xemd.Compute(z, t, x, EmdInput.Logits, sw, Reduction.Mean, b, cw),
        };
        foreach (var loss in losses)
        {
            using var cpu = z0.detach().clone().requires_grad_();
            loss(cpu, k, s, w, LossBackend.Fused).backward();
            using var on = On(device, z0).detach().clone().requires_grad_();
            loss(on, On(device, k), On(device, s), On(device, w), LossBackend.TensorOps).backward();
            Assert.Equal(Tensors.ToDoubles(cpu.grad!), Tensors.ToDoubles(on.grad!.cpu()), new ToleranceComparer(1e-12));
        }
        // Target distributions.
        using var cpuSoft = z0.detach().clone().requires_grad_();
        SquaredEmd.Compute(cpuSoft, soft, 1.5, false, null, EmdNormalization.None, EmdInput.Logits, s, Reduction.Mean, LossBackend.Fused).backward();
        using var onSoft = On(device, z0).detach().clone().requires_grad_();
        SquaredEmd.Compute(onSoft, On(device, soft), 1.5, false, null, EmdNormalization.None, EmdInput.Logits, On(device, s), Reduction.Mean, LossBackend.TensorOps).backward();
        Assert.Equal(Tensors.ToDoubles(cpuSoft.grad!), Tensors.ToDoubles(onSoft.grad!.cpu()), new ToleranceComparer(1e-12));
    }

    [Theory]
    [MemberData(nameof(Devices.All), MemberType = typeof(Devices))]
    public void Bad_values_are_refused_naming_the_parameter(string device)
    {
        using var z = On(device, torch.randn(3, 4));
        using var k = On(device, torch.tensor(new long[] { 0, 3, 1 }));
        Tensor Emd(Tensor input, Tensor target, Tensor? sampleWeight = null, Tensor? classWeight = null, EmdInput kind = EmdInput.Logits, Reduction reduction = Reduction.Mean) =>
            SquaredEmd.Compute(input, target, 2, false, null, EmdNormalization.Paper, kind, sampleWeight, reduction, LossBackend.TensorOps, classWeight);
        void Throws(string parameter, Func<Tensor> call) => Assert.Equal(parameter, Assert.ThrowsAny<ArgumentException>(() => call()).ParamName);

        Throws("target", () => Emd(z, On(device, torch.tensor(new long[] { 0, 4, 1 }))));
        Throws("target", () => Emd(z, On(device, torch.tensor(new long[] { 0, -1, 1 }))));
        Throws("target", () => Emd(z, On(device, torch.tensor(new[] { 0.5f, 0.5f, 0, 0, 0.5f, 0.6f, 0, 0, 1, 0, 0, 0 }, 3, 4))));
        Throws("input", () => Emd(On(device, torch.tensor(new[] { 0f, float.NaN, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0 }, 3, 4)), k));
        Throws("input", () => Emd(On(device, torch.full(3, 4, 0.3f)), k, kind: EmdInput.Probabilities));
        Throws("sample_weight", () => Emd(z, k, sampleWeight: On(device, torch.tensor(new[] { 1f, -1f, 1f }))));
        Throws("sample_weight", () => Emd(z, k, sampleWeight: On(device, torch.zeros(3))));
        Throws("weight", () => Emd(z, k, classWeight: On(device, torch.tensor(new[] { 1f, float.NaN, 1f, 1f }))));
        Throws("weight", () => Emd(z, k, classWeight: On(device, torch.tensor(new[] { 0f, 0f, 1f, 0f }))));
        Throws("input", () => Emd(On(device, torch.zeros(0, 4)), On(device, torch.zeros(0, dtype: ScalarType.Int64))));
        // Every check passed: a value, on the device.
        using var fine = Emd(z, k, On(device, torch.ones(3)), On(device, torch.ones(4)));
        Assert.True(double.IsFinite(fine.cpu().ToDouble()));
    }

    [Theory]
    [MemberData(nameof(Devices.All), MemberType = typeof(Devices))]
    public void The_empty_batch_sums_to_zero(string device)
    {
        using var z = On(device, torch.zeros(0, 5)).requires_grad_();
        using var k = On(device, torch.zeros(0, dtype: ScalarType.Int64));
        using var sum = GroundEmd.Compute(z, k, GroundDistance.Evenly(5), EmdInput.Logits, null, Reduction.Sum, LossBackend.TensorOps);
        Assert.Equal(0.0, sum.cpu().ToDouble());
        sum.backward();
        Assert.Equal([0L, 5], z.grad!.shape);
    }

    [Theory]
    [MemberData(nameof(Devices.All), MemberType = typeof(Devices))]
    public void The_learner_on_a_device_equals_the_learner_on_the_cpu(string device)
    {
        using var features = torch.rand(40, 6, generator: torch.manual_seed(26));
        using var labels = torch.arange(40, dtype: ScalarType.Int64) % 4;
        using var cpu = new GroundDistanceLearner(4, 6);
        using var on = new GroundDistanceLearner(4, 6, device: Devices.Parse(device));
        cpu.Accumulate(features, labels);
        // Half-precision features take the tensor-operation path of Accumulate on any device.
        on.Accumulate(On(device, features).to(ScalarType.Float16), On(device, labels));
        cpu.EndEpoch();
        on.EndEpoch();
        Assert.Equal(cpu.Distance.ToArray().Cast<double>(), on.Distance.ToArray().Cast<double>(), new ToleranceComparer(1e-3));
        Assert.Throws<ArgumentException>(() => on.Accumulate(On(device, features), On(device, torch.tensor(Enumerable.Repeat(4L, 40).ToArray()))));
    }

    [CudaFact]
    public void Modules_and_the_learner_move_to_cuda_with_their_buffers_under_their_names()
    {
        using var w = torch.ones(5);
        using var loss = earthmover.nn.SquaredEMDLoss(weight: w);
        loss.to(torch.CUDA);
        Assert.Equal(DeviceType.CUDA, loss.weight!.device_type);
        Assert.Equal(["weight"], loss.state_dict().Keys.ToArray());
        using var value = loss.call(torch.randn(4, 5, device: torch.CUDA), torch.tensor(new long[] { 0, 1, 2, 4 }, device: torch.CUDA));
        Assert.Equal(DeviceType.CUDA, value.device_type);

        using var learner = new GroundDistanceLearner(3, 2);
        learner.to(torch.CUDA);
        Assert.Equal(["centroids", "counts", "known", "sums"], learner.state_dict().Keys.Order().ToArray());
        Assert.All(learner.buffers(), b => Assert.Equal(DeviceType.CUDA, b.device_type));
    }
}
