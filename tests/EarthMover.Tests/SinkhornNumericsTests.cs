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
        var distances = new[] { GroundDistance.Evenly(c), GroundDistance.Evenly(c, power: 2) };
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
            }
        }
    }
}
