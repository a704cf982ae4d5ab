using EarthMover.Engine;
using EarthMover.Kernels;
using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Tests.Ordinal;

/// <summary>
/// Threshold logits that get every task right by a wide margin (|z| from 20 to 700): each task's loss is then about
/// e = e^-|z|, far below the rounding of 1 + e or of softplus(z) ≈ z, and the row's loss must keep it to rounding
/// relative to itself in the fused kernels and the tensor forms alike (not 0, not off by 1e-3). Expected values by
/// the series log(1 + e) = e - e²/2 + e³/3 (exact to 1e-27 relative for e ≤ 2e-9), and σ(z) - ℓ = ±e/(1 + e).
/// </summary>
public class TinyLossTests
{
    [Theory]
    [InlineData("coral_loss", 5)]
    [InlineData("coral_loss", 40)]
    [InlineData("logistic_at_loss", 9)]
    [InlineData("corn_loss", 12)]
    [InlineData("ecoc_loss", 7)]
    [InlineData("ecoc_loss", 30)]
    public void Confident_right_answers_keep_their_tiny_losses(string name, int classes)
    {
        using var scope = torch.NewDisposeScope();
        LossDefinition definition = name switch
        {
            "coral_loss" => new CoralDefinition(null),
            "logistic_at_loss" => new LogisticAtDefinition(),
            "corn_loss" => new CornDefinition(),
            _ => new EcocDefinition(),
        };
        int tasks = classes - 1;
        const int rows = 11;
        var margins = new double[rows, tasks];
        var z = new double[rows * tasks];
        var target = new long[rows];
        var random = new Random(classes);
        for (int r = 0; r < rows; r++)
        {
            target[r] = random.Next(classes);
            for (int q = 0; q < tasks; q++)
            {
                double m = r == 0 ? 700 : 20 + random.NextDouble() * 40;
                margins[r, q] = m;
                z[r * tasks + q] = target[r] > q ? m : -m;
            }
        }
        foreach (var backend in new[] { LossBackend.Fused, LossBackend.TensorOps })
        {
            var x = torch.tensor(z, rows, tasks, dtype: ScalarType.Float64).requires_grad_();
            var loss = LossEngine.Run(definition, x, torch.tensor(target), null, null, Reduction.None, EmdInput.Logits, backend);
            var grad = torch.autograd.grad([loss.sum()], [x])[0];
            var values = Support.Tensors.ToDoubles(loss);
            var gradient = Support.Tensors.ToDoubles(grad);
            for (int r = 0; r < rows; r++)
            {
                double expected = 0;
                int used = name == "corn_loss" ? Math.Min((int)target[r] + 1, tasks) : tasks;
                for (int q = 0; q < tasks; q++)
                {
                    double e = Math.Exp(-margins[r, q]);
                    double residual = (target[r] > q ? -1 : 1) * e / (1 + e);
                    double term = name == "ecoc_loss" ? residual * residual : e * (1 - e * (0.5 - e / 3));
                    double slope = name == "ecoc_loss" ? 2 * residual * e / ((1 + e) * (1 + e)) : residual;
                    expected += q < used ? term : 0;
                    double g = gradient[r * tasks + q];
                    double wanted = q < used ? slope : 0;
                    Assert.True(Math.Abs(g - wanted) <= 1e-12 * Math.Abs(wanted), $"{name} {backend} gradient [{r}, {q}] = {g:R}, expected {wanted:R}");
                }
                Assert.True(Math.Abs(values[r] - expected) <= 1e-12 * expected, $"{name} K = {classes} {backend} row {r}: {values[r]:R}, expected {expected:R}");
            }
        }
    }
}
