using EarthMover.Kernels.Transport;
using EarthMover.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Tests;

/// <summary>
/// The Sinkhorn loss at the edges (issue 18): target masses down to 0 in float32 and float64 at every ε, the
/// tolerance by dtype, and second derivatives of all three quantities against central differences of gradients.
/// </summary>
public class SinkhornNumericsTests
{
    /// <summary>Discretised Gaussians exp(−(k − centre)² / 2σ²) over the classes, normalised (float64).</summary>
    private static Tensor Gaussian(int rows, int classes, double sigma)
    {
        var values = new double[rows * classes];
        for (int r = 0; r < rows; r++)
        {
            int centre = r * 5 % classes;
            double sum = 0;
            for (int k = 0; k < classes; k++)
            {
                sum += values[r * classes + k] = Math.Exp(-(k - centre) * (k - centre) / (2 * sigma * sigma));
            }
            for (int k = 0; k < classes; k++)
            {
                values[r * classes + k] /= sum;
            }
        }
        return torch.tensor(values, rows, classes, dtype: ScalarType.Float64);
    }

    [Fact]
    public void Float32_gaussian_soft_labels_over_12_classes_give_finite_cost_and_gradient()
    {
        // σ = 0.5: the far classes get masses far below 1e-39 (subnormal or 0 in float32), as --soft-labels gaussian:0.5.
        using var scope = torch.NewDisposeScope();
        var t = Gaussian(8, 12, 0.5);
        Assert.True(t.min().ToDouble() < 3e-39);
        var d = GroundDistance.Evenly(12);
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            var z = (torch.randn(8, 12, generator: torch.manual_seed(5), dtype: ScalarType.Float64) * 2).to(dtype).requires_grad_();
            var loss = earthmover.nn.functional.sinkhorn_loss(z, t.to(dtype), d, 0.1 * 11);
            loss.backward();
            Assert.True(double.IsFinite(loss.ToDouble()), $"{dtype}: loss {loss.ToDouble()}");
            Assert.True(torch.isfinite(z.grad!).all().ToBoolean(), $"{dtype}: non-finite gradient");
        }
    }

    public static TheoryData<SinkhornQuantity, ScalarType, bool> EdgeCases()
    {
        var data = new TheoryData<SinkhornQuantity, ScalarType, bool>();
        foreach (var quantity in new[] { SinkhornQuantity.Cost, SinkhornQuantity.Regularized, SinkhornQuantity.Divergence })
        {
            foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
            {
                data.Add(quantity, dtype, true);
                data.Add(quantity, dtype, false);
            }
        }
        return data;
    }

    /// <summary>
    /// Targets with masses 1e-30, 1e-39, 1e-45, 1e-300, 0 and one-hot rows, predictions with exact zeros (as
    /// probabilities) or very confident logits, ε from 1e-12 to 1e8 times max D: finite values and gradients.
    /// </summary>
    [Theory]
    [MemberData(nameof(EdgeCases))]
    public void Tiny_and_zero_masses_give_finite_values_and_gradients_at_every_epsilon(SinkhornQuantity quantity, ScalarType dtype, bool logits)
    {
        using var scope = torch.NewDisposeScope();
        int c = 12;
        var t = Gaussian(6, c, 0.5);
        t[1] = torch.zeros(c, dtype: ScalarType.Float64);
        t[1, 3] = 1;                                                   // one-hot
        t[2] = torch.full(c, 1e-30, dtype: ScalarType.Float64);
        t[2, 0] = 1;
        t[3] = torch.full(c, 1e-300, dtype: ScalarType.Float64);
        t[3, 6] = 1;
        t[3, 7] = 1e-39;
        t[3, 8] = 1e-45;
        t = t / t.sum(1, keepdim: true);
        var generator = torch.manual_seed(11);
        Tensor x;
        if (logits)
        {
            x = torch.randn(6, c, generator: generator, dtype: ScalarType.Float64) * 3;
            x[0] = torch.zeros(c, dtype: ScalarType.Float64);
            x[0, 2] = 120;                                             // softmax below 1e-45 elsewhere
        }
        else
        {
            x = torch.rand(6, c, generator: generator, dtype: ScalarType.Float64);
            x[0] = torch.zeros(c, dtype: ScalarType.Float64);
            x[0, 2] = 1;                                               // exact zeros
            x[4, 5] = 0;
            x[5] = t[3].clone();                                       // p = t with tiny masses
            x = x / x.sum(1, keepdim: true);
        }
        var distances = new[] { GroundDistance.Evenly(c), GroundDistance.Evenly(c, p: 2) };
        foreach (var d in distances)
        {
            double maxD = d.CachedTensor(ScalarType.Float64, torch.CPU).max().ToDouble();
            foreach (double relative in new[] { 1e-12, 1e-8, 1e-4, 1e-2, 0.1, 1, 1e2, 1e4, 1e8 })
            {
                var input = x.to(dtype).detach().requires_grad_();
                var each = earthmover.nn.functional.sinkhorn_loss(input, t.to(dtype), d, relative * maxD, quantity, 200,
                    input_type: logits ? EmdInput.Logits : EmdInput.Probabilities, reduction: Reduction.None);
                each.sum().backward();
                string what = $"{quantity} {dtype} logits={logits} ε={relative} max D (max D {maxD})";
                Assert.True(torch.isfinite(each).all().ToBoolean(), $"{what}: values [{string.Join(", ", Tensors.ToDoubles(each))}]");
                Assert.True(torch.isfinite(input.grad!).all().ToBoolean(), $"{what}: non-finite gradient");
                // The twice-differentiable rows: finite Hessian-vector products too (checked for logits at moderate ε;
                // with exact zeros as probabilities or at extreme ε the curvature itself overflows: an open point).
                if (!logits || relative < 1e-2 || relative > 1e2)
                {
                    continue;
                }
                var again = x.to(dtype).detach().requires_grad_();
                var rows = Sinkhorn.Rows(again, t.to(dtype), d, relative * maxD, quantity, 200, null, logits, twiceDifferentiable: true);
                Assert.True((rows == each).all().ToBoolean() || (rows - each).abs().max().ToDouble() < 1e-6 * (1 + each.abs().max().ToDouble()), $"{what}: twice-differentiable values differ");
                var gradient = torch.autograd.grad([rows.sum()], [again], retain_graph: true, create_graph: true)[0];
                var hvp = torch.autograd.grad([(gradient * torch.ones_like(gradient).cumsum(1)).sum()], [again])[0];
                Assert.True(torch.isfinite(gradient).all().ToBoolean() && torch.isfinite(hvp).all().ToBoolean(), $"{what}: non-finite second derivative");
            }
        }
    }

    [Fact]
    public void Float32_default_tolerance_converges_before_the_iteration_cap()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Equal(1e-6, Sinkhorn.DefaultTolerance(ScalarType.Float32));
        Assert.Equal(1e-9, Sinkhorn.DefaultTolerance(ScalarType.Float64));
        int n = 64, c = 12;
        var a = (torch.randn(n, c, generator: torch.manual_seed(2), dtype: ScalarType.Float64) * 2).softmax(1);
        var b = Gaussian(n, c, 1.5);
        var d = GroundDistance.Evenly(c).CachedTensor(ScalarType.Float64, torch.CPU);
        var mr = Sinkhorn.KernelExponent(d, 0.1 * (c - 1), ScalarType.Float32).to(ScalarType.Float32);
        var a32 = a.to(ScalarType.Float32);
        var b32 = b.to(ScalarType.Float32);
        // 1e-9 (the float64 default, POT's) is below float32 resolution: rows run to the cap.
        var strict = new int[n];
        Sinkhorn.Potentials(a32, b32, mr, 1000, 1e-9, strict);
        Assert.True(strict.Count(k => k == 1000) > n / 2, $"iterations at 1e-9: {string.Join(", ", strict)}");
        // The float32 default stops every row well before it, with its marginals within the tolerance.
        var counts = new int[n];
        var (u, v) = Sinkhorn.Potentials(a32, b32, mr, 1000, Sinkhorn.DefaultTolerance(ScalarType.Float32), counts);
        Assert.True(counts.Max() < 200, $"iterations at the default: {string.Join(", ", counts)}");
        var columns = (mr.unsqueeze(0) + u.unsqueeze(2) + v.unsqueeze(1)).exp().sum(1);
        Assert.True((columns - b32).square().sum(1).sqrt().max().ToDouble() < 1e-6);
        // Rows without a tolerance use the dtype's default; an explicit one is honoured.
        var z = torch.randn(n, c, generator: torch.manual_seed(4), dtype: ScalarType.Float32);
        var line = GroundDistance.Evenly(c);
        var byDefault = Sinkhorn.Rows(z, b32, line, 1.1, SinkhornQuantity.Cost, 1000, null, logits: true);
        var explicit6 = Sinkhorn.Rows(z, b32, line, 1.1, SinkhornQuantity.Cost, 1000, 1e-6, logits: true);
        var explicit0 = Sinkhorn.Rows(z, b32, line, 1.1, SinkhornQuantity.Cost, 3, 0, logits: true);
        Assert.True((byDefault == explicit6).all().ToBoolean());
        Assert.False((byDefault == explicit0).all().ToBoolean());
    }

    public static TheoryData<SinkhornQuantity, bool, double> SecondDerivativeCases()
    {
        var data = new TheoryData<SinkhornQuantity, bool, double>();
        foreach (var quantity in new[] { SinkhornQuantity.Cost, SinkhornQuantity.Regularized, SinkhornQuantity.Divergence })
        {
            foreach (bool logits in new[] { true, false })
            {
                data.Add(quantity, logits, 0.5);
                data.Add(quantity, logits, 0.1);
            }
        }
        return data;
    }

    /// <summary>
    /// create_graph: the Hessian-vector product of the twice-differentiable rows against central differences
    /// (step 1e-6 relative) of the first-order gradients, float64, on an asymmetric D with soft and one-hot targets.
    /// </summary>
    [Theory]
    [MemberData(nameof(SecondDerivativeCases))]
    public void Hessian_vector_products_match_central_differences_of_gradients(SinkhornQuantity quantity, bool logits, double relativeEpsilon)
    {
        using var scope = torch.NewDisposeScope();
        int n = 4, c = 7;
        var generator = torch.manual_seed(7);
        var points = torch.randn(c, 2, generator: generator, dtype: ScalarType.Float64);
        var dm = torch.cdist(points, points) + 0.3 * torch.rand(c, c, generator: generator, dtype: ScalarType.Float64);
        dm = dm * (1 - torch.eye(c, dtype: ScalarType.Float64));
        var d = GroundDistance.FromMatrix(dm);
        double epsilon = relativeEpsilon * dm.max().ToDouble();
        var t = (torch.randn(n, c, generator: generator, dtype: ScalarType.Float64) * 1.5).softmax(1);
        t[1] = torch.nn.functional.one_hot(torch.tensor(3L), c).to(ScalarType.Float64);
        var x0 = torch.randn(n, c, generator: generator, dtype: ScalarType.Float64);
        if (!logits)
        {
            x0 = (x0 * 0.7).softmax(1);
        }
        var weights = torch.rand(n, generator: generator, dtype: ScalarType.Float64) + 0.5;
        var direction = torch.randn(n, c, generator: generator, dtype: ScalarType.Float64);
        const int cap = 200_000;
        const double tol = 1e-15;

        Tensor Gradient(Tensor at, bool twice)
        {
            var x = at.detach().clone().requires_grad_();
            var rows = Sinkhorn.Rows(x, t, d, epsilon, quantity, cap, tol, logits, twice);
            return torch.autograd.grad([(rows * weights).sum()], [x], retain_graph: twice, create_graph: twice)[0];
        }

        var point = x0.detach().clone().requires_grad_();
        var rows = Sinkhorn.Rows(point, t, d, epsilon, quantity, cap, tol, logits, twiceDifferentiable: true);
        var gradient = torch.autograd.grad([(rows * weights).sum()], [point], retain_graph: true, create_graph: true)[0];
        var hvp = torch.autograd.grad([(gradient * direction).sum()], [point])[0];

        // The first derivative of the twice-differentiable form is the first-order one.
        var first = Gradient(x0, false);
        Assert.True((gradient.detach() - first).abs().max().ToDouble() < 1e-12 * (1 + first.abs().max().ToDouble()));

        double h = 1e-6 * x0.abs().max().ToDouble();
        var numeric = (Gradient(x0 + h * direction, false) - Gradient(x0 - h * direction, false)) / (2 * h);
        if (!logits)
        {
            // On the simplex only the part of the gradient along it is determined.
            numeric = numeric - numeric.mean([1], keepdim: true);
            hvp = hvp - hvp.mean([1], keepdim: true);
        }
        double error = (hvp - numeric).norm().ToDouble() / numeric.norm().ToDouble();
        Assert.True(error < 1e-6, $"relative error {error:E3}: hvp [{string.Join(", ", Tensors.ToDoubles(hvp).Take(7))}] numeric [{string.Join(", ", Tensors.ToDoubles(numeric).Take(7))}]");
    }
}
