using EarthMover.Engine;
using EarthMover.Kernels;
using EarthMover.Kernels.Rows;
using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Tests.Ordinal;

/// <summary>
/// float32 rows that a raw-row kernel computes in single precision (<see cref="ISingleRowKernel"/>): every row's loss
/// within 1e-5 of the tensor form's in float64 on the same values, relatively (also where the loss is 1e-7 or less),
/// and the gradient within float32 rounding. Every registered loss whose kernel has such rows is covered, with the
/// variants the registry's examples leave out (CORAL without importance weights, a one-hot-like soft target).
/// </summary>
public class SingleRowTests
{
    public static TheoryData<string> Kernels()
    {
        var data = new TheoryData<string>();
        foreach (var name in Definitions.Keys)
        {
            data.Add(name);
        }
        return data;
    }

    private static readonly Dictionary<string, Func<int, LossDefinition>> Definitions = Build();

    private static Dictionary<string, Func<int, LossDefinition>> Build()
    {
        var all = LossRegistry.All.ToDictionary(l => l.Name, l => l.Definition);
        all["coral_loss (no importance weights)"] = _ => new CoralDefinition(null);
        all["soft_label_ce_loss (binomial)"] = _ => new SoftLabelCeDefinition(SoftLabelShape.Binomial(), null, null);
        all["soft_label_ce_loss (eta 0.01)"] = _ => new SoftLabelCeDefinition(SoftLabelShape.Sord(1.0), 0.01, null);
        // SLACE's loss takes logarithms only at the distances whose target mass matters: every distance at a small
        // alpha, one or two at a large one.
        all["slace_loss (alpha 0.02)"] = _ => new SlaceDefinition(0.02);
        all["slace_loss (alpha 6)"] = _ => new SlaceDefinition(6.0);
        return all;
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Float32_rows_in_single_precision_match_float64(string name)
    {
        using var scope = torch.NewDisposeScope();
        int covered = 0;
        foreach (int classes in new[] { 9, 16, 17, 40, 100, 101 })
        {
            var definition = Definitions[name](classes);
            definition.CheckClasses(classes);
            if (definition.RawRowKernel(classes, logits: true) is not ISingleRowKernel { HasSingleRows: true })
            {
                continue;
            }
            covered++;
            int width = definition.InputWidth(classes);
            const int rows = 40;
            var z = torch.randn(rows, width, dtype: ScalarType.Float64, generator: torch.manual_seed(classes)) * 3;
            var target = torch.randint(0, classes, rows, dtype: ScalarType.Int64, generator: torch.manual_seed(classes + 1));
            // Rows the model gets right by a wide margin (losses of 1e-7 and less), one with huge logits, one all equal,
            // one with a tie at the top.
            for (int r = 0; r < 4; r++)
            {
                int y = (int)target[r].item<long>();
                z[r] = width == classes
                    ? torch.arange(width, dtype: ScalarType.Float64).sub(y).abs().mul(-(8.0 + 4 * r))
                    : torch.arange(width, dtype: ScalarType.Float64).lt(y).to(ScalarType.Float64).mul(2).sub(1).mul(12.0 + 5 * r);
            }
            z[4] = torch.randn(width, dtype: ScalarType.Float64, generator: torch.manual_seed(7)) * 1e4;
            z[5] = torch.zeros(width, dtype: ScalarType.Float64);
            // Two equal largest logits, one in the last (overlapping) vector: the first is the argmax.
            z[6][1] = 9.0;
            z[6][width - 1] = 9.0;
            // One large logit at the class farthest from the target, the rest 0: its mass e^30 beyond 10⁴ times the
            // rest's (SLACE's float rows then take every distance's t), and e^12 just under (they leave the far t's out).
            for (int r = 7; r < 9; r++)
            {
                int y = (int)target[r].item<long>();
                z[r] = torch.zeros(width, dtype: ScalarType.Float64);
                z[r][y < width / 2 ? width - 1 : 0] = r == 7 ? 30.0 : 12.0;
            }
            z = z.to(ScalarType.Float32).to(ScalarType.Float64);
            var (value, grad) = Run(definition, z.to(ScalarType.Float32), target, null, Reduction.None);
            var (expected, expectedGrad) = Run(definition, z, target, null, Reduction.None);
            for (int r = 0; r < rows; r++)
            {
                Assert.True(Math.Abs(value[r] - expected[r]) <= 1e-5 * Math.Abs(expected[r]) + 1e-30,
                    $"{name} K = {classes} row {r}: {value[r]:R}, expected {expected[r]:R}");
                double rowMax = Enumerable.Range(0, width).Max(c => Math.Abs(expectedGrad[r * width + c]));
                for (int c = 0; c < width; c++)
                {
                    double e = expectedGrad[r * width + c], a = grad[r * width + c];
                    // Softmax-based gradients are differences p - t: float32 rounding of p, 6e-8 absolute, on top.
                    Assert.True(Math.Abs(a - e) <= 1e-5 * Math.Abs(e) + 1e-6 * rowMax + 2e-7,
                        $"{name} K = {classes} gradient [{r}, {c}]: {a:R}, expected {e:R}");
                }
            }
            // Sample weights and the mean: the rows' scales reach the gradient.
            var weights = torch.rand(rows, dtype: ScalarType.Float64, generator: torch.manual_seed(3)) + 0.5;
            var (mean, meanGrad) = Run(definition, z.to(ScalarType.Float32), target, weights, Reduction.Mean);
            var (expectedMean, expectedMeanGrad) = Run(definition, z, target, weights, Reduction.Mean);
            Assert.True(Math.Abs(mean[0] - expectedMean[0]) <= 1e-5 * Math.Abs(expectedMean[0]), $"{name} K = {classes} weighted mean");
            double scale = expectedMeanGrad.Max(Math.Abs);
            for (int i = 0; i < meanGrad.Length; i++)
            {
                Assert.True(Math.Abs(meanGrad[i] - expectedMeanGrad[i]) <= 1e-5 * scale, $"{name} K = {classes} weighted gradient [{i}]");
            }
        }
        // Losses without single-precision rows (or only at widths not tried) cover nothing here, which is right for
        // them; the named kernels must.
        if (name is "coral_loss (no importance weights)" or "corn_loss" or "logistic_at_loss" or "ecoc_loss" or "soft_label_ce_loss" or "cdw_ce_loss" or "slace_loss" or "slace_loss (alpha 0.02)" or "slace_loss (alpha 6)" && SingleExp.IsSupported)
        {
            Assert.True(covered > 0, $"{name} has no single-precision rows");
        }
    }

    /// <summary>
    /// SLACE's float rows leave the t_d of distances past D (32 at α = 1) out of the gradient only where the mass
    /// beyond D is at most 10⁴ times the mass within: a row whose mass sits at the far end (one logit of 30, e^30 ≈
    /// 10¹³) keeps them, and its far entries, sums without cancellation, match float64 to float32 rounding. Left
    /// out, they would be 10⁻⁴ off relatively there. A row with e^12 there (t ≈ 5000) leaves them out, its entries
    /// from distance 16 on (no cancellation there) as exact to float32 rounding.
    /// </summary>
    [Theory]
    [InlineData(30.0, 32)]
    [InlineData(12.0, 16)]
    public void Slace_float_rows_keep_the_far_distances_where_the_mass_sits_there(double far, int from)
    {
        using var scope = torch.NewDisposeScope();
        const int classes = 100;
        var definition = new SlaceDefinition(1.0);
        definition.CheckClasses(classes);
        if (definition.RawRowKernel(classes, logits: true) is not ISingleRowKernel { HasSingleRows: true })
        {
            return;
        }
        var z = torch.zeros(1, classes, dtype: ScalarType.Float64);
        z[0][classes - 1] = far;
        var target = torch.zeros(1, dtype: ScalarType.Int64);
        var (_, grad) = Run(definition, z.to(ScalarType.Float32), target, null, Reduction.None);
        var (_, expectedGrad) = Run(definition, z, target, null, Reduction.None);
        for (int c = from; c < classes; c++)
        {
            Assert.True(Math.Abs(grad[c] - expectedGrad[c]) <= 1e-5 * Math.Abs(expectedGrad[c]),
                $"far {far}, gradient [{c}]: {grad[c]:R}, expected {expectedGrad[c]:R}");
        }
    }

    private static (double[] Value, double[] Grad) Run(LossDefinition definition, Tensor z, Tensor target, Tensor? sampleWeight, Reduction reduction)
    {
        var x = z.detach().clone().requires_grad_();
        var backend = z.dtype == ScalarType.Float32 ? LossBackend.Fused : LossBackend.TensorOps;
        var value = LossEngine.Run(definition, x, target, null, sampleWeight, reduction, EmdInput.Logits, backend);
        var grad = torch.autograd.grad([value.sum()], [x])[0];
        return (Support.Tensors.ToDoubles(value), Support.Tensors.ToDoubles(grad));
    }
}
