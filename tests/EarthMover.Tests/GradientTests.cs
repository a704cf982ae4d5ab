using EarthMover.Kernels;
using EarthMover.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Tests;

/// <summary>Every loss's gradient against float64 central finite differences of its own value.</summary>
public class GradientTests
{
    public static TheoryData<string, string> OrdinalSettings()
    {
        var data = new TheoryData<string, string>();
        string[] settings =
        [
            "l2", "l1", "l1.5", "l3", "root-l2", "root-l3", "positions", "none-normalisation",
            "soft", "soft-root", "probabilities", "probabilities-soft", "weights-mean", "weights-sum", "per-sample",
        ];
        foreach (var backend in new[] { nameof(LossBackend.Fused), nameof(LossBackend.TensorOps) })
        {
            foreach (var s in settings)
            {
                data.Add(backend, s);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(OrdinalSettings))]
    public void Squared_emd_gradient_matches_finite_differences(string backend, string setting)
    {
        const int rows = 5, classes = 11;
        var generator = torch.manual_seed(7);
        bool probabilities = setting.StartsWith("probabilities", StringComparison.Ordinal);
        using var logits = torch.randn(rows, classes, dtype: ScalarType.Float64, generator: generator) * 2;
        using var input = probabilities ? logits.softmax(1) : logits.clone();
        bool soft = setting.Contains("soft", StringComparison.Ordinal);
        using var target = soft
            ? torch.randn(rows, classes, dtype: ScalarType.Float64, generator: generator).softmax(1)
            : torch.randint(0, classes, rows, dtype: ScalarType.Int64, generator: generator);
        double exponent = setting switch
        {
            "l1" => 1,
            "l1.5" => 1.5,
            "l3" or "root-l3" => 3,
            _ => 2,
        };
        bool root = setting.StartsWith("root", StringComparison.Ordinal) || setting == "soft-root";
        double[]? positions = setting == "positions" ? [0, 0.5, 2, 2.5, 4, 7, 7.25, 9, 12, 13, 20] : null;
        var normalization = setting == "none-normalisation" ? EmdNormalization.None : EmdNormalization.Paper;
        using var weight = setting.StartsWith("weights", StringComparison.Ordinal) ? torch.tensor(new[] { 0.5, 2, 0, 1.5, 1 }, dtype: ScalarType.Float64) : null;
        var reduction = setting switch
        {
            "weights-sum" => Reduction.Sum,
            "per-sample" => Reduction.None,
            _ => Reduction.Mean,
        };
        var inputType = probabilities ? EmdInput.Probabilities : EmdInput.Logits;
        FiniteDifferences.AssertGradient(
            x => SquaredEmd.Compute(x, target, exponent, root, positions, normalization, inputType, weight, reduction, Backends.Parse(backend)),
            input);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Ground_emd_gradient_matches_finite_differences(string backend)
    {
        var c = ReferenceData.Ground.Cases[2];
        var distance = GroundDistance.FromMatrix(Tensors.Array2D(c.Distance));
        using var z = Tensors.Matrix(c.Logits);
        using var k = Tensors.Indices(c.Target_Indices);
        using var weight = torch.rand(z.shape[0], dtype: ScalarType.Float64) + 0.1;
        FiniteDifferences.AssertGradient(x => GroundEmd.Compute(x, k, distance, EmdInput.Logits, null, Reduction.Mean, Backends.Parse(backend)), z);
        FiniteDifferences.AssertGradient(x => GroundEmd.Compute(x, k, distance, EmdInput.Logits, weight, Reduction.None, Backends.Parse(backend)), z);
        using var p = z.softmax(1);
        FiniteDifferences.AssertGradient(x => GroundEmd.Compute(x, k, distance, EmdInput.Probabilities, weight, Reduction.Sum, Backends.Parse(backend)), p);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Xemd_gradient_matches_finite_differences(string backend)
    {
        var c = ReferenceData.Xemd.Cases[3];
        var weights = XemdWeights.FromMatrix(Tensors.Array2D(c.Presets["xemd2"].Weights));
        using var z = Tensors.Matrix(c.Logits);
        using var k = Tensors.Indices(c.Target_Indices);
        FiniteDifferences.AssertGradient(x => Xemd.Compute(x, k, weights, EmdInput.Logits, null, Reduction.Mean, Backends.Parse(backend)), z);
        FiniteDifferences.AssertGradient(x => Xemd.Compute(x, k, weights, EmdInput.Logits, null, Reduction.None, Backends.Parse(backend)), z);
        using var p = z.softmax(1);
        FiniteDifferences.AssertGradient(x => Xemd.Compute(x, k, weights, EmdInput.Probabilities, null, Reduction.Mean, Backends.Parse(backend)), p);
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Root_gradient_is_finite_where_prediction_equals_target(string backend)
    {
        using var p = torch.tensor(new[] { 0.0, 1.0, 0.0, 0.0, 0.25, 0.25, 0.25, 0.25 }, 2, 4, dtype: ScalarType.Float64).requires_grad_();
        using var t = torch.tensor(new[] { 0.0, 1.0, 0.0, 0.0, 0.25, 0.25, 0.25, 0.25 }, 2, 4, dtype: ScalarType.Float64);
        using var loss = SquaredEmd.Compute(p, t, 2, true, null, EmdNormalization.Paper, EmdInput.Probabilities, null, Reduction.Mean, Backends.Parse(backend));
        loss.backward();
        Assert.Equal(0.0, loss.ToDouble());
        Assert.True(torch.isfinite(p.grad!).all().ToBoolean());
    }

    [Fact]
    public void Retained_graph_gives_the_same_gradient_on_each_backward()
    {
        using var z = torch.randn(4, 6, dtype: ScalarType.Float64).requires_grad_();
        using var k = torch.tensor(new long[] { 0, 5, 2, 3 });
        using var loss = earthmover.nn.functional.squared_emd_loss(z, k);
        loss.backward(retain_graph: true);
        var first = Tensors.ToDoubles(z.grad!);
        loss.backward(retain_graph: true);
        loss.backward();
        var third = Tensors.ToDoubles(z.grad!);
        Assert.Equal(first.Select(g => 3 * g).ToArray(), third, new ToleranceComparer(1e-15));
    }
}

/// <summary>The gradient must survive the dispose scope its forward call ran in.</summary>
public class DisposeScopeTests
{
    [Fact]
    public void Backward_after_the_forward_scope_is_gone()
    {
        using var z = torch.randn(8, 5, dtype: ScalarType.Float64).requires_grad_();
        using var k = torch.randint(0, 5, 8, dtype: ScalarType.Int64);
        Tensor loss;
        using (var scope = torch.NewDisposeScope())
        {
            loss = (earthmover.nn.functional.squared_emd_loss(z, k, reduction: Reduction.None) * 2).sum().MoveToOuterDisposeScope();
        }
        loss.backward();
        using var expected = torch.autograd.grad([(SquaredEmd.Compute(z, k, 2, false, null, EmdNormalization.Paper, EmdInput.Logits, null, Reduction.None, LossBackend.TensorOps) * 2).sum()], [z])[0];
        Assert.True(torch.allclose(z.grad!, expected, 1e-12, 1e-14));
    }
}

/// <summary>Confident predictions must not turn the fused kernel's gradient into subnormal numbers (a large slowdown on x86).</summary>
public class SubnormalTests
{
    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Very_confident_logits_give_zero_or_normal_gradients(ScalarType dtype)
    {
        // Twenty batches from generators of their own (the global one is shared with tests running alongside): a
        // gradient entry is a product of two small probabilities, below the normal range in most such float64 batches
        // unless the kernel flushes it (TileSubnormals).
        double smallest = dtype == ScalarType.Float32 ? 1.1754943508222875e-38 : 2.2250738585072014e-308;
        for (ulong seed = 0; seed < 20; seed++)
        {
            using var scope = torch.NewDisposeScope();
            var generator = new torch.Generator(seed);
            var z = (torch.randn(64, 9, generator: generator) * 400).to(dtype).requires_grad_();
            var k = torch.randint(0, 9, 64, dtype: ScalarType.Int64, generator: generator);
            SquaredEmd.Compute(z, k, 2, false, null, EmdNormalization.Paper, EmdInput.Logits, null, Reduction.Mean, LossBackend.Fused).backward();
            var grad = Tensors.ToDoubles(z.grad!);
            Assert.All(grad, g => Assert.True(g == 0 || Math.Abs(g) >= smallest, $"seed {seed}: subnormal gradient {g}"));
            Assert.Contains(grad, g => g != 0);
        }
    }
}
