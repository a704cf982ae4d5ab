using EarthMover.Engine;
using EarthMover.Kernels;
using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Tests.Ordinal;

/// <summary>
/// The fused ordinal kernels on batches of many rows, where narrow rows go a block of rows at a time
/// (Kernels/Rows/RowBlock.cs): values and gradients equal the tensor form's, with the last rows of a batch that fill
/// no block, extreme rows computed row by row, sample weights and every reduction.
/// </summary>
public class OrdinalBlockTests
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var loss in new[] { "sord", "cdw_ce", "slace", "qwk", "mce", "mce_qwk" })
        {
            foreach (int classes in new[] { 2, 3, 5, 8, 10, 15, 16, 17 })
            {
                data.Add(loss, classes);
            }
        }
        return data;
    }

    private static LossDefinition Definition(string loss) => loss switch
    {
        "sord" => new SoftLabelCeDefinition(SoftLabelShape.Sord(1.0), null, null),
        "cdw_ce" => new CdwCeDefinition(null),
        "slace" => new SlaceDefinition(1.0),
        "qwk" => new QwkDefinition(null, null),
        "mce" => new MceDefinition(),
        _ => new MceQwkDefinition(null, null),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Blocks_of_rows_equal_the_tensor_form(string loss, int classes)
    {
        using var scope = torch.NewDisposeScope();
        const int rows = 37;
        var z = torch.randn(rows, classes, dtype: ScalarType.Float64, generator: torch.manual_seed(classes)) * 3;
        // Rows whose other logits lie far below the largest, or whose target lies far below it: the exact row-by-row forms.
        z[5] = torch.zeros(classes, dtype: ScalarType.Float64);
        z[5, 0] = 800;
        z[20] = torch.full(classes, -400.0, dtype: ScalarType.Float64);
        z[20, classes - 1] = 400;
        var target = torch.randint(0, classes, rows, dtype: ScalarType.Int64, generator: torch.manual_seed(classes + 1));
        target[20] = 0;
        var sampleWeight = torch.rand(rows, dtype: ScalarType.Float64, generator: torch.manual_seed(classes + 2)) + 0.5;
        var definition = Definition(loss);
        foreach (var reduction in definition.BatchLevel ? [Reduction.Mean, Reduction.Sum] : new[] { Reduction.Mean, Reduction.Sum, Reduction.None })
        {
            foreach (var weights in new[] { null, sampleWeight })
            {
                var (value, grad) = Run(definition, z, target, weights, reduction, LossBackend.Fused);
                var (expected, expectedGrad) = Run(definition, z, target, weights, reduction, LossBackend.TensorOps);
                Close(expected, value, $"{loss} K = {classes} {reduction} value");
                Close(expectedGrad, grad, $"{loss} K = {classes} {reduction} gradient");
            }
        }
    }

    [Theory]
    [InlineData("slace")]
    [InlineData("qwk")]
    [InlineData("mce")]
    [InlineData("mce_qwk")]
    [InlineData("sord")]
    [InlineData("cdw_ce")]
    public void Float32_rows_with_single_precision_exponentials_stay_within_float32_rounding(string loss)
    {
        using var scope = torch.NewDisposeScope();
        var definition = Definition(loss);
        foreach (int classes in new[] { 5, 16, 17, 40, 100 })
        {
            var z = torch.randn(45, classes, dtype: ScalarType.Float64, generator: torch.manual_seed(classes)) * 4;
            // A row whose target lies 75 below its largest logit, another whose other logits lie 95 below theirs.
            z[3] = torch.zeros(classes, dtype: ScalarType.Float64);
            z[3, classes - 1] = 75;
            z[4] = torch.full(classes, -95.0, dtype: ScalarType.Float64);
            z[4, 0] = 0;
            z = z.to(ScalarType.Float32).to(ScalarType.Float64);
            var target = torch.randint(0, classes, 45, dtype: ScalarType.Int64, generator: torch.manual_seed(classes + 1));
            target[3] = 0;
            var (value, grad) = Run(definition, z.to(ScalarType.Float32), target, null, Reduction.Mean, LossBackend.Fused);
            var (expected, expectedGrad) = Run(definition, z, target, null, Reduction.Mean, LossBackend.TensorOps);
            Close(expected, value, $"{loss} K = {classes} float32 value", 1e-5);
            Close(expectedGrad, grad, $"{loss} K = {classes} float32 gradient", 1e-5);
        }
    }

    [Theory]
    [InlineData("qwk")]
    [InlineData("mce")]
    [InlineData("mce_qwk")]
    public void Float32_batch_losses_with_class_and_sample_weights_stay_within_float32_rounding(string loss)
    {
        // The single-precision passes (rows of 8 classes or more) read the class weights, the sample weights and the
        // penalty as float32 copies; the last vector of a row overlaps the one before when K is not a multiple of 8.
        using var scope = torch.NewDisposeScope();
        var definition = Definition(loss);
        foreach (int classes in new[] { 8, 21, 100 })
        {
            var z = (torch.randn(67, classes, dtype: ScalarType.Float64, generator: torch.manual_seed(classes)) * 3).to(ScalarType.Float32).to(ScalarType.Float64);
            var target = torch.randint(0, classes, 67, dtype: ScalarType.Int64, generator: torch.manual_seed(classes + 1));
            var weight = torch.rand(classes, dtype: ScalarType.Float64, generator: torch.manual_seed(classes + 2)) + 0.25;
            var sampleWeight = torch.rand(67, dtype: ScalarType.Float64, generator: torch.manual_seed(classes + 3)) * 2;
            foreach (var reduction in new[] { Reduction.Mean, Reduction.Sum })
            {
                var (value, grad) = RunWeighted(definition, z.to(ScalarType.Float32), target, weight.to(ScalarType.Float32), sampleWeight.to(ScalarType.Float32), reduction, LossBackend.Fused);
                var (expected, expectedGrad) = RunWeighted(definition, z, target, weight, sampleWeight, reduction, LossBackend.TensorOps);
                Close(expected, value, $"{loss} K = {classes} {reduction} weighted float32 value", 1e-5);
                Close(expectedGrad, grad, $"{loss} K = {classes} {reduction} weighted float32 gradient", 1e-5);
            }
        }
    }

    private static (double[] Value, double[] Grad) RunWeighted(LossDefinition definition, Tensor z, Tensor target, Tensor weight, Tensor sampleWeight, Reduction reduction, LossBackend backend)
    {
        var x = z.detach().clone().requires_grad_();
        var value = LossEngine.Run(definition, x, target, weight, sampleWeight, reduction, EmdInput.Logits, backend);
        var grad = torch.autograd.grad([value], [x])[0];
        return (Support.Tensors.ToDoubles(value), Support.Tensors.ToDoubles(grad));
    }

    [Fact]
    public void A_bad_row_inside_a_block_is_named()
    {
        using var scope = torch.NewDisposeScope();
        var z = torch.randn(32, 5, dtype: ScalarType.Float32, generator: torch.manual_seed(4));
        z[13, 2] = float.NaN;
        var target = torch.zeros(32, dtype: ScalarType.Int64);
        var e = Assert.ThrowsAny<ArgumentException>(() => earthmover.nn.functional.cdw_ce_loss(z, target));
        Assert.Contains("row 13", e.Message, StringComparison.Ordinal);
        z[13, 2] = 0;
        target[21] = 5;
        e = Assert.ThrowsAny<ArgumentException>(() => earthmover.nn.functional.slace_loss(z, target, 1.0));
        Assert.Contains("target[21]", e.Message, StringComparison.Ordinal);
    }

    private static (double[] Value, double[] Grad) Run(LossDefinition definition, Tensor z, Tensor target, Tensor? sampleWeight, Reduction reduction, LossBackend backend)
    {
        var x = z.detach().clone().requires_grad_();
        var value = LossEngine.Run(definition, x, target, null, sampleWeight, reduction, EmdInput.Logits, backend);
        var outer = reduction == Reduction.None ? (value * torch.linspace(0.5, 1.5, value.size(0), dtype: value.dtype)).sum() : value;
        var grad = torch.autograd.grad([outer], [x])[0];
        return (Support.Tensors.ToDoubles(value), Support.Tensors.ToDoubles(grad));
    }

    private static void Close(double[] expected, double[] actual, string what, double tolerance = 1e-10)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1, expected.Max(Math.Abs));
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= tolerance * scale, $"{what}[{i}] = {actual[i]:R}, expected {expected[i]:R}");
        }
    }
}
