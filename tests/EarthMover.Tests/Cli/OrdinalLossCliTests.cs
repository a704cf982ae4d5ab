using System.Globalization;
using EarthMover.Training;
using EarthMover.Training.Methods;
using TorchSharp;
using static EarthMover.earthmover;
using static TorchSharp.torch;

namespace EarthMover.Tests.Cli;

/// <summary>
/// The ordinal methods in the program (issue 19): every short name of the loss table parses, with its parameters
/// checked; <c>earthmover losses</c> lists the whole table; train, predict and compare run coral, corn, cdw-ce and sord
/// with the right head, the library's distribution and the method's own class; a run records its method.
/// </summary>
[Collection(nameof(CliTests))]
public class OrdinalLossCliTests
{
    /// <summary>The names the issue asks for: the table must keep them (a test over the table alone would not notice one removed).</summary>
    private static readonly string[] Required =
        ["coral", "corn", "logistic-at", "ecoc", "sord", "gaussian", "binomial", "poisson", "exponential", "beta", "triangular", "geometric", "cdw-ce", "slace", "qwk", "mce", "mce-qwk"];

    public static TheoryData<string> Names() => [.. LossMethods.Names];

    [Fact]
    public void The_table_has_every_ordinal_method_and_no_name_twice()
    {
        Assert.Subset(LossMethods.Names.ToHashSet(), Required.ToHashSet());
        Assert.Equal(LossMethods.Names.Count, LossMethods.Names.Distinct().Count());
        Assert.Equal(LossMethods.Names, LossSpec.Names);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_short_name_parses_with_its_defaults_and_each_parameter_by_name(string name)
    {
        var method = LossMethods.Find(name)!;
        var plain = LossSpec.Parse(name);
        Assert.Equal(name, plain.Name);
        Assert.Equal(name, plain.Text);
        Assert.Null(plain.Parameters);
        plain.CheckOptions();
        Assert.StartsWith(name, plain.Describe(), StringComparison.Ordinal);
        Assert.Equal(name, LossSpec.Parse(name.ToUpperInvariant()).Name);
        foreach (var parameter in method.Parameters)
        {
            string value = parameter.Choices is { } choices ? choices[^1] : Another(parameter);
            var given = LossSpec.Parse($"{name}:{parameter.Name}={value}");
            Assert.Equal($"{name}:{parameter.Name}={value}", given.Text);
            Assert.Equal(value, parameter.Choices is null ? given.Number(parameter.Name).ToString("R", CultureInfo.InvariantCulture) : given.Word(parameter.Name));
            Assert.Contains($"{parameter.Name}={value}", given.Describe(), StringComparison.Ordinal);
            Assert.Equal(parameter.Default, parameter.Choices is null ? plain.Number(parameter.Name).ToString("R", CultureInfo.InvariantCulture) : plain.Word(parameter.Name));
        }
        if (method.Parameters.Count > 0 && method.Parameters[0].Choices is null)
        {
            // The first parameter may be given bare, as --soft-labels gaussian:SIGMA always was.
            string value = Another(method.Parameters[0]);
            Assert.Equal(LossSpec.Parse($"{name}:{method.Parameters[0].Name}={value}"), LossSpec.Parse($"{name}:{value}"), new SpecComparer());
        }
    }

    [Theory]
    [InlineData("cdw-ce:alpha=-1", "--loss cdw-ce: alpha -1: it must be > 0.")]
    [InlineData("cdw-ce:alpha=0", "--loss cdw-ce: alpha 0: it must be > 0.")]
    [InlineData("cdw-ce:alpha=1,5", "--loss cdw-ce: alpha '1,5' is not a number; write decimals with a point (1.5).")]
    [InlineData("cdw-ce:alpha=two", "--loss cdw-ce: alpha 'two' is not a number.")]
    [InlineData("cdw-ce:alpha=NaN", "--loss cdw-ce: alpha 'NaN' is not a finite number.")]
    [InlineData("cdw-ce:gamma=2", "--loss cdw-ce: 'gamma' is not one of its parameters (alpha).")]
    [InlineData("cdw-ce:2:alpha=3", "--loss cdw-ce: alpha is given more than once.")]
    [InlineData("coral:alpha=1", "--loss coral: it takes no parameters, but 'coral:alpha=1' gives 'alpha=1'.")]
    [InlineData("sord:distance=cubic", "--loss sord: distance 'cubic' must be absolute or squared.")]
    [InlineData("sord:2:squared", "--loss sord: 'squared' must be written key=value")]
    [InlineData("triangular:alpha2=0.3", "--loss triangular: alpha2 0.3: it must be in (0, 0.25).")]
    [InlineData("geometric:alpha=1", "--loss geometric: alpha 1: it must be in (0, 1).")]
    [InlineData("mce-qwk:c=1.5", "--loss mce-qwk: c 1.5: it must be in [0, 1].")]
    [InlineData("qwk:penalty=cubic", "--loss qwk: penalty 'cubic' must be quadratic or linear.")]
    [InlineData("slace:alpha=-2", "--loss slace: alpha -2: it must be > 0.")]
    [InlineData("binomial:eta=1.5", "--loss binomial: eta 1.5: it must be in [0, 1].")]
    [InlineData("corral", "--loss: 'corral' is not a loss; did you mean coral?")]
    public void A_bad_loss_or_parameter_is_one_line_naming_the_option(string loss, string message)
    {
        string error = TestTables.TrainFails("--data", TestTables.Hpc, "--target", "class", "--order", "VF,F,M,L", "--loss", loss);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--loss", "coral", "--warmup", "1" }, "--warmup 1: coral's model has C - 1 outputs")]
    [InlineData(new[] { "--loss", "corn", "--soft-labels", "gaussian:1" }, "--soft-labels: --loss corn takes class labels")]
    public void A_setting_that_does_not_fit_the_method_is_refused(string[] args, string message)
    {
        string error = TestTables.TrainFails(["--data", TestTables.Hpc, "--target", "class", "--order", "VF,F,M,L", .. args]);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("binomial", "soft labels binomial")]
    [InlineData("sord:alpha=2", "soft labels sord:alpha=2")]
    [InlineData("gaussian:1", "soft labels gaussian:1")]
    [InlineData("gaussian:sigma=2:eta=0.5", "soft labels gaussian:sigma=2:eta=0.5")]
    [InlineData("binomial:eta=0.5", "soft labels binomial:eta=0.5")]
    public void Soft_labels_take_any_shape_of_the_family(string shape, string described)
    {
        string run = TestTables.TrainHpc("--loss", "emd2", "--soft-labels", shape);
        using var trained = TrainedRun.Load(run);
        Assert.Contains(described, trained.Config.Loss.Describe(), StringComparison.Ordinal);
        Assert.Equal(shape, trained.Config.Loss.SoftLabelsText);
    }

    [Theory]
    [InlineData("coral", "--soft-labels: 'coral' is not a soft-label shape; give one of sord, gaussian, binomial")]
    [InlineData("sord:alpha=0", "--soft-labels sord: alpha 0: it must be > 0.")]
    [InlineData("gaussian:-1", "--soft-labels: 'gaussian:-1' must be gaussian:SIGMA")]
    public void A_bad_soft_label_shape_is_one_line(string shape, string message)
    {
        string error = TestTables.TrainFails("--data", TestTables.Hpc, "--target", "class", "--order", "VF,F,M,L", "--loss", "emd2", "--soft-labels", shape);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_names_the_option_of_a_bad_parameter()
    {
        var (exit, _, error) = CliRunner.Run("compare", "--data", TestTables.Hpc, "--target", "class", "--order", "VF,F,M,L", "--losses", "ce,cdw-ce:alpha=-1", "-o", CliRunner.TempFolder());
        Assert.Equal(2, exit);
        Assert.Contains("--losses cdw-ce: alpha -1: it must be > 0.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_losses_command_lists_every_method_of_the_table_with_its_parameters_and_paper()
    {
        var (exit, output, error) = CliRunner.Run("losses");
        Assert.True(exit == 0, error);
        var lines = output.Split('\n');
        foreach (var method in LossMethods.All)
        {
            var row = lines.SingleOrDefault(l => l.StartsWith($"│ {method.Name} ", StringComparison.Ordinal));
            Assert.True(row is not null, $"no row for {method.Name}");
            Assert.Contains(method.Summary, row, StringComparison.Ordinal);
            Assert.Contains(method.Paper, row, StringComparison.Ordinal);
            foreach (var parameter in method.Parameters)
            {
                Assert.Contains(parameter.Describe(), row, StringComparison.Ordinal);
            }
        }
        var (_, help, _) = CliRunner.Run("train", "--help");
        Assert.Contains("earthmover losses", help, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("coral", 3)]
    [InlineData("corn", 3)]
    [InlineData("logistic-at", 3)]
    [InlineData("ecoc", 3)]
    [InlineData("cdw-ce:alpha=2", 4)]
    [InlineData("sord:alpha=2", 4)]
    public void Train_and_predict_give_the_method_s_head_distribution_and_class(string loss, int outputs)
    {
        string run = TestTables.TrainHpc("--loss", loss);
        string predictions = CliRunner.TempFolder() + ".csv";
        var (exit, console, error) = CliRunner.Run("predict", "--run", run, "--data", TestTables.Hpc, "-o", predictions);
        Assert.True(exit == 0, error);
        var rows = TestTables.Predictions(predictions);
        Assert.Equal(400, rows.Count);
        string[] classes = ["VF", "F", "M", "L"];

        using var trained = TrainedRun.Load(run);
        Assert.Equal(loss, trained.Config.Loss.Text);
        Assert.Equal(outputs, trained.Config.Outputs);
        var head = trained.Model.named_parameters().Where(p => p.name.StartsWith("_head.", StringComparison.Ordinal)).ToDictionary(p => p.name, p => p.parameter.shape);
        if (loss is "coral" or "logistic-at")
        {
            // CORAL's layer: one shared weight vector (1 x features), C - 1 biases.
            // (The library's CoralLayer registers its bias under the auto-property's backing field name.)
            Assert.Equal(2, head.Count);
            Assert.Equal(new long[] { 1, trained.Model.FeatureWidth }, head["_head.fc.weight"]);
            Assert.Equal(new long[] { outputs }, head.Single(p => p.Key.Contains("coral_bias", StringComparison.Ordinal)).Value);
        }
        else
        {
            Assert.Equal(new long[] { outputs, trained.Model.FeatureWidth }, head["_head.weight"]);
        }

        // The distributions are the library's; the class is the method's own rule (threshold models, ECOC) or argmax.
        var inputs = Encoded(trained);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        trained.Model.eval();
        var z = trained.Model.Run(torch.tensor(inputs, 400, trained.Config.Encoder.Width)).Outputs;
        var (p, c) = loss switch
        {
            "coral" => (ordinal.coral_probabilities(z), ordinal.threshold_predict(z)),
            "logistic-at" => (ordinal.logistic_at_probabilities(z), ordinal.threshold_predict(z)),
            "corn" => (ordinal.corn_probabilities(z), ordinal.corn_predict(z)),
            "ecoc" => (ordinal.ecoc_probabilities(z.sigmoid()), ordinal.ecoc_predict(z.sigmoid())),
            _ => (z.softmax(1), z.argmax(1)),
        };
        var expectedP = p.to(ScalarType.Float64).data<double>().ToArray();
        var expectedC = c.data<long>().ToArray();
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal(1.0, rows[i].P.Sum(), 5);
            for (int k = 0; k < 4; k++)
            {
                Assert.True(Math.Abs(expectedP[i * 4 + k] - rows[i].P[k]) < 1e-6, $"row {i + 1}, class {k}: {rows[i].P[k]}, the library's {expectedP[i * 4 + k]}");
            }
            Assert.Equal(classes[expectedC[i]], rows[i].Predicted);
        }
        Assert.Contains(trained.HasOwnRule ? $"({loss}'s own rule)" : "(argmax)", console, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_runs_threshold_soft_label_and_cost_sensitive_losses_side_by_side()
    {
        string folder = CliRunner.TempFolder();
        var (exit, _, error) = CliRunner.Run("compare", "--data", TestTables.Hpc, "--target", "class", "--order", "VF,F,M,L", "--epochs", "2", "--seeds", "1",
            "--losses", "ce,coral,corn,cdw-ce:alpha=2,sord:alpha=2", "-o", folder, "-q");
        Assert.True(exit == 0, error);
        string table = File.ReadAllText(Path.Combine(folder, "compare.md"));
        foreach (var label in new[] { "| ce |", "| coral |", "| corn |", "| cdw-ce (alpha=2) |", "| sord (alpha=2, distance=absolute, eta=1) |" })
        {
            Assert.Contains(label, table, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_run_saved_without_loss_parameters_still_loads_and_predicts()
    {
        // Runs written before the ordinal methods have no Parameters in their header.
        string run = TestTables.TrainHpc("--loss", "ce");
        string model = Path.Combine(run, "model.bin");
        byte[] rest;
        string magic, config, state;
        int version;
        using (var reader = new BinaryReader(File.OpenRead(model)))
        {
            (magic, version, config, state) = (reader.ReadString(), reader.ReadInt32(), reader.ReadString(), reader.ReadString());
            using var tail = new MemoryStream();
            reader.BaseStream.CopyTo(tail);
            rest = tail.ToArray();
        }
        var node = System.Text.Json.Nodes.JsonNode.Parse(config)!;
        var lossNode = node["Loss"]!.AsObject();
        Assert.True(lossNode.Remove("Parameters"));
        using (var writer = new BinaryWriter(File.Create(model)))
        {
            writer.Write(magic);
            writer.Write(version);
            writer.Write(node.ToJsonString());
            writer.Write(state);
            writer.Write(rest);
        }
        using var trained = TrainedRun.Load(run);
        Assert.Equal("ce", trained.Config.Loss.Text);
        var predictions = trained.Predict([new Dictionary<string, object?> { ["protocol"] = "E", ["compounds"] = 997, ["input_fields"] = 137, ["iterations"] = 20, ["num_pending"] = 0, ["hour"] = 14, ["day"] = "Tue" }]);
        Assert.Equal(1.0, predictions[0].Probabilities.Sum(), 5);
    }

    // The hpc rows encoded by the run's encoder.
    private static float[] Encoded(TrainedRun trained)
    {
        var table = TestTables.Cells(TestTables.Hpc);
        var encoder = trained.Config.Encoder;
        var position = encoder.Columns.Select(c => Array.IndexOf(table[0], c.Name)).ToArray();
        var inputs = new float[(table.Count - 1) * encoder.Width];
        var cells = new string?[position.Length];
        for (int r = 1; r < table.Count; r++)
        {
            for (int c = 0; c < cells.Length; c++)
            {
                cells[c] = table[r][position[c]] is "" or "NA" ? null : table[r][position[c]];
            }
            encoder.Encode(cells, inputs.AsSpan((r - 1) * encoder.Width, encoder.Width), null);
        }
        return inputs;
    }

    // A valid value of a number parameter other than its default.
    [Theory]
    [MemberData(nameof(SoftLabelNames))]
    public void Eta_mixes_each_shape_with_the_one_hot_target_in_the_loss_and_in_soft_labels(string name)
    {
        const double eta = 0.3;
        int classes = 6;
        var spec = LossSpec.Parse($"{name}:eta={eta.ToString(CultureInfo.InvariantCulture)}");
        var shape = spec.Shape()!;
        var m = shape.Matrix(classes);
        var labels = new[] { 0, 2, 5, 3 };
        // The targets by hand: η M[y] + (1 − η) e_y.
        var mixed = new double[labels.Length, classes];
        for (int i = 0; i < labels.Length; i++)
        {
            for (int k = 0; k < classes; k++)
            {
                mixed[i, k] = eta * m[labels[i], k] + (1 - eta) * (k == labels[i] ? 1 : 0);
            }
        }
        var rows = SoftLabels.Rows(labels, classes, spec);
        for (int i = 0; i < labels.Length; i++)
        {
            for (int k = 0; k < classes; k++)
            {
                Assert.Equal(mixed[i, k], rows[i * classes + k], 6);
            }
        }
        using var logits = torch.randn(labels.Length, classes, dtype: ScalarType.Float64, generator: new Generator(3));
        using var y = torch.tensor(labels.Select(l => (long)l).ToArray());
        using var t = torch.tensor(mixed);
        using var expected = (t * logits.log_softmax(1)).sum(1).neg().mean();
        using var actual = spec.Method!.Loss!(logits, y, spec, shape);
        Assert.Equal(expected.ToDouble(), actual.ToDouble(), 12);
    }

    public static TheoryData<string> SoftLabelNames() => [.. LossMethods.All.Where(m => m.Shape is not null).Select(m => m.Name)];

    private static string Another(LossParameter parameter)
    {
        foreach (double candidate in new[] { 0.2, 0.03, 2.0, 0.5 })
        {
            string text = LossParameter.Text(candidate);
            if (text != parameter.Default && parameter.Accepts!(candidate))
            {
                return text;
            }
        }
        throw new InvalidOperationException($"no other value for {parameter.Name}");
    }

    // Two specs with the same name and parameters (the dictionary compared by content).
    private sealed class SpecComparer : IEqualityComparer<LossSpec>
    {
        public bool Equals(LossSpec? x, LossSpec? y) => x!.Text == y!.Text && x.Describe() == y.Describe();

        public int GetHashCode(LossSpec obj) => obj.Text.GetHashCode(StringComparison.Ordinal);
    }
}
