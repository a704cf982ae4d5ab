using System.Text.Json;
using EarthMover.Engine;
using EarthMover.Kernels;
using EarthMover.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Tests.Ordinal;

/// <summary>
/// Every case of reference/baselines.json (reference/baselines.py, docs/math.md §25): the value and the gradient of
/// each ordinal loss in float64 through the fused kernel and the tensor operations (1e-10 relative), and in float32
/// (looser); the label matrices, the threshold models' distributions and predictions, and ECOC decoding.
/// </summary>
public class BaselineTests
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "reference", "baselines.json"))));

    private static JsonElement Root => Document.Value.RootElement;

    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Root.GetProperty("cases").GetArrayLength(); i++)
        {
            data.Add(i);
        }
        return data;
    }

    private static double[][] Rows(JsonElement e) => [.. e.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray())];

    private static double[] Doubles(JsonElement e) => [.. e.EnumerateArray().Select(v => v.GetDouble())];

    private static bool Has(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    /// <summary>The definition and input type of a case's loss and options.</summary>
    internal static (LossDefinition Definition, EmdInput InputType) Definition(string loss, JsonElement options, int classes) => loss switch
    {
        "coral" => (new CoralDefinition(Has(options, "importance_weights") ? Doubles(options.GetProperty("importance_weights")) : null), EmdInput.Logits),
        "corn" => (new CornDefinition(), EmdInput.Logits),
        "logistic_at" => (new LogisticAtDefinition(), EmdInput.Logits),
        "soft_label_ce" => (new SoftLabelCeDefinition(Shape(options, classes), options.GetProperty("eta").GetDouble(), options.GetProperty("label_smoothing").GetDouble()), EmdInput.Logits),
        "cdw_ce" => (new CdwCeDefinition(options.GetProperty("alpha").GetDouble()), EmdInput.Logits),
        "slace" => (new SlaceDefinition(options.GetProperty("alpha").GetDouble()), EmdInput.Logits),
        "ecoc" => (new EcocDefinition(), options.GetProperty("input_type").GetString() == "logits" ? EmdInput.Logits : EmdInput.Probabilities),
        "qwk" => (new QwkDefinition(Penalty(options), options.GetProperty("use_logarithm").GetBoolean()), EmdInput.Logits),
        "mce" => (new MceDefinition(), EmdInput.Logits),
        "mce_qwk" => (new MceQwkDefinition(options.GetProperty("C").GetDouble(), Penalty(options)), EmdInput.Logits),
        _ => throw new InvalidOperationException(loss),
    };

    private static KappaPenalty Penalty(JsonElement options) =>
        options.GetProperty("penalization_type").GetString() == "linear" ? KappaPenalty.Linear : KappaPenalty.Quadratic;

    /// <summary>The soft-label shape of a case's options (or of a label matrix's params).</summary>
    internal static SoftLabelShape Shape(JsonElement o, int classes) => o.GetProperty("shape").GetString() switch
    {
        "gaussian" => SoftLabelShape.Gaussian(o.GetProperty("sigma").GetDouble()),
        "sord" => o.GetProperty("distance").GetString() switch
        {
            "absolute" => SoftLabelShape.Sord(o.GetProperty("alpha").GetDouble()),
            "squared" => SoftLabelShape.Sord(o.GetProperty("alpha").GetDouble(), SordDistance.Squared),
            _ => SoftLabelShape.Sord(o.GetProperty("alpha").GetDouble(), Tensors.Array2D(Rows(o.GetProperty("distance_matrix")))),
        },
        "binomial" => SoftLabelShape.Binomial(),
        "poisson" => SoftLabelShape.Poisson(),
        "exponential" => SoftLabelShape.Exponential(o.GetProperty("p").GetDouble(), o.GetProperty("tau").GetDouble()),
        "beta" => SoftLabelShape.Beta(o.GetProperty("params_set").GetString()!),
        "triangular" => SoftLabelShape.Triangular(o.GetProperty("alpha2").GetDouble()),
        "general_triangular" => SoftLabelShape.GeneralTriangular(Doubles(o.GetProperty("alphas"))),
        "geometric" => Geometric(o.GetProperty("alphas")),
        "matrix" => SoftLabelShape.FromMatrix(Tensors.Array2D(Rows(o.GetProperty("matrix")))),
        var s => throw new InvalidOperationException(s),
    };

    private static SoftLabelShape Geometric(JsonElement alphas)
    {
        if (alphas.ValueKind == JsonValueKind.Number)
        {
            return SoftLabelShape.Geometric(alphas.GetDouble());
        }
        if (alphas[0].ValueKind == JsonValueKind.Number)
        {
            return SoftLabelShape.Geometric(Doubles(alphas));
        }
        return SoftLabelShape.Geometric([.. Rows(alphas).Select(t => (t[0], t[1], t[2]))]);
    }

    private static Reduction ReductionOf(JsonElement c) =>
        c.GetProperty("reduction").ValueKind == JsonValueKind.Null ? Reduction.Mean : c.GetProperty("reduction").GetString() switch
        {
            "sum" => Reduction.Sum,
            "none" => Reduction.None,
            _ => Reduction.Mean,
        };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Values_and_gradients_equal_the_reference(int index)
    {
        using var scope = torch.NewDisposeScope();
        var c = Root.GetProperty("cases")[index];
        string loss = c.GetProperty("loss").GetString()!;
        int classes = c.GetProperty("K").GetInt32();
        var (definition, inputType) = Definition(loss, c.GetProperty("options"), classes);
        var rows = Rows(c.GetProperty("input"));
        var target = Tensors.Indices([.. c.GetProperty("target").EnumerateArray().Select(v => v.GetInt64())]);
        var weight = Has(c, "weight") ? torch.tensor(Doubles(c.GetProperty("weight"))) : null;
        var sampleWeight = Has(c, "sample_weight") ? torch.tensor(Doubles(c.GetProperty("sample_weight"))) : null;
        var reduction = ReductionOf(c);
        var grad = Rows(c.GetProperty("grad")).SelectMany(r => r).ToArray();
        var value = c.GetProperty("value");
        var expected = value.ValueKind == JsonValueKind.Array ? Doubles(value) : [value.GetDouble()];
        var gradOutput = Has(c, "grad_output") ? torch.tensor(Doubles(c.GetProperty("grad_output"))) : null;
        string name = c.GetProperty("name").GetString()!;
        double bound = rows.SelectMany(r => r).Max(Math.Abs);

        var backends = definition.Fused == FusedKind.None ? new[] { LossBackend.TensorOps } : [LossBackend.Fused, LossBackend.TensorOps];
        foreach (var backend in backends)
        {
            foreach (var (dtype, tolerance) in new[] { (ScalarType.Float64, 1e-10), (ScalarType.Float32, 2e-4) })
            {
                if (dtype == ScalarType.Float32 && bound > 100)
                {
                    continue; // logits of 10³ in float32: the input itself is rounded at 10⁻⁴ absolute
                }
                var x = Tensors.Matrix(rows, dtype, requiresGrad: true);
                var result = LossEngine.Run(definition, x, target, weight, sampleWeight, reduction, inputType, backend);
                var actual = Tensors.ToDoubles(result);
                Assert.Equal(expected.Length, actual.Length);
                double scale = Math.Max(1, expected.Max(Math.Abs));
                for (int i = 0; i < expected.Length; i++)
                {
                    Assert.True(Math.Abs(actual[i] - expected[i]) <= tolerance * scale, $"{loss}/{name} {backend} {dtype}: value[{i}] = {actual[i]:R}, expected {expected[i]:R}");
                }
                var outer = gradOutput is null ? result : (result * gradOutput.to(dtype)).sum();
                var g = Tensors.ToDoubles(torch.autograd.grad([outer], [x])[0]);
                double gradScale = Math.Max(1, grad.Max(Math.Abs));
                for (int i = 0; i < grad.Length; i++)
                {
                    Assert.True(Math.Abs(g[i] - grad[i]) <= tolerance * gradScale, $"{loss}/{name} {backend} {dtype}: grad[{i}] = {g[i]:R}, expected {grad[i]:R}");
                }
            }
        }
    }

    [Fact]
    public void Label_matrices_equal_the_reference()
    {
        foreach (var m in Root.GetProperty("label_matrices").EnumerateArray())
        {
            int classes = m.GetProperty("K").GetInt32();
            var options = JsonSerializer.SerializeToElement(
                m.GetProperty("params").EnumerateObject().ToDictionary(p => p.Name, p => p.Value)
                    .Append(new KeyValuePair<string, JsonElement>("shape", m.GetProperty("shape"))).ToDictionary());
            var matrix = Shape(options, classes).Matrix(classes);
            var expected = Rows(m.GetProperty("matrix"));
            var rowsOf = Has(m, "rows") ? [.. m.GetProperty("rows").EnumerateArray().Select(v => v.GetInt32())] : Enumerable.Range(0, classes).ToArray();
            for (int r = 0; r < rowsOf.Length; r++)
            {
                for (int k = 0; k < classes; k++)
                {
                    Assert.True(Math.Abs(matrix[rowsOf[r], k] - expected[r][k]) <= 1e-12, $"{m.GetProperty("shape")} K={classes} [{rowsOf[r]}, {k}] = {matrix[rowsOf[r], k]:R}, expected {expected[r][k]:R}");
                }
            }
        }
    }

    [Fact]
    public void Threshold_distributions_and_predictions_equal_the_reference()
    {
        using var scope = torch.NewDisposeScope();
        foreach (var p in Root.GetProperty("probabilities").EnumerateArray())
        {
            string model = p.GetProperty("model").GetString()!;
            var z = Tensors.Matrix(Rows(p.GetProperty("input")));
            var probabilities = model switch
            {
                "corn" => earthmover.ordinal.corn_probabilities(z),
                "logistic_at" => earthmover.ordinal.logistic_at_probabilities(z),
                _ => earthmover.ordinal.coral_probabilities(z),
            };
            var prediction = model == "corn" ? earthmover.ordinal.corn_predict(z) : earthmover.ordinal.threshold_predict(z);
            var expected = Rows(p.GetProperty("probabilities")).SelectMany(r => r).ToArray();
            var actual = Tensors.ToDoubles(probabilities);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-12, $"{model} K={p.GetProperty("K")}: p[{i}] = {actual[i]:R}, expected {expected[i]:R}");
            }
            Assert.Equal(p.GetProperty("prediction").EnumerateArray().Select(v => v.GetInt64()), Tensors.ToDoubles(prediction).Select(v => (long)v));
            Assert.Equal(p.GetProperty("argmax").EnumerateArray().Select(v => v.GetInt64()), Tensors.ToDoubles(probabilities.argmax(1)).Select(v => (long)v));
        }
    }

    [Fact]
    public void Ecoc_decoding_equals_the_reference()
    {
        using var scope = torch.NewDisposeScope();
        foreach (var e in Root.GetProperty("ecoc").EnumerateArray())
        {
            int classes = e.GetProperty("K").GetInt32();
            var o = Tensors.Matrix(Rows(e.GetProperty("input")));
            Assert.Equal(Rows(e.GetProperty("code_matrix")).SelectMany(r => r), Tensors.ToDoubles(earthmover.ordinal.ecoc_code_matrix(classes)));
            Close(Rows(e.GetProperty("scores")), earthmover.ordinal.ecoc_scores(o));
            Close(Rows(e.GetProperty("probabilities")), earthmover.ordinal.ecoc_probabilities(o));
            Assert.Equal(e.GetProperty("prediction").EnumerateArray().Select(v => v.GetInt64()), Tensors.ToDoubles(earthmover.ordinal.ecoc_predict(o)).Select(v => (long)v));
        }
    }

    private static void Close(double[][] expected, Tensor actual)
    {
        var a = Tensors.ToDoubles(actual);
        var x = expected.SelectMany(r => r).ToArray();
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(Math.Abs(a[i] - x[i]) <= 1e-12, $"[{i}] = {a[i]:R}, expected {x[i]:R}");
        }
    }
}
