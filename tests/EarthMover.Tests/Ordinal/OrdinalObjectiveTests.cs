using EarthMover.Training;
using EarthMover.Training.Methods;
using TorchSharp;
using static TorchSharp.torch;
using F = EarthMover.earthmover.nn.functional;
using Thresholds = EarthMover.earthmover.ordinal;

namespace EarthMover.Tests.Ordinal;

/// <summary>
/// The program's objective for each ordinal method of the loss table: the model's width, the training loss (the
/// library's function with the parameters given), the class distribution (the library's probabilities) and the
/// class (the method's own rule), each written here independently of the table. A method added to the table without
/// a row here fails <see cref="Every_ordinal_method_of_the_table_is_checked_here"/>.
/// </summary>
public class OrdinalObjectiveTests
{
    private const int Classes = 5;

    // name as typed → (outputs, the expected loss of (z, y)).
    private static readonly Dictionary<string, (int Outputs, Func<Tensor, Tensor, Tensor> Loss)> Expected = new()
    {
        ["coral"] = (Classes - 1, (z, y) => F.coral_loss(z, y)),
        ["corn"] = (Classes - 1, (z, y) => F.corn_loss(z, y)),
        ["logistic-at"] = (Classes - 1, (z, y) => F.logistic_at_loss(z, y)),
        ["ecoc"] = (Classes - 1, (z, y) => F.ecoc_loss(z, y)),
        ["sord:alpha=2:distance=squared"] = (Classes, (z, y) => F.soft_label_ce_loss(z, y, SoftLabelShape.Sord(2, SordDistance.Squared))),
        ["gaussian:0.7"] = (Classes, (z, y) => F.soft_label_ce_loss(z, y, SoftLabelShape.Gaussian(0.7))),
        ["binomial"] = (Classes, (z, y) => F.soft_label_ce_loss(z, y, SoftLabelShape.Binomial())),
        ["poisson"] = (Classes, (z, y) => F.soft_label_ce_loss(z, y, SoftLabelShape.Poisson())),
        ["exponential:p=2:tau=0.5"] = (Classes, (z, y) => F.soft_label_ce_loss(z, y, SoftLabelShape.Exponential(2, 0.5))),
        ["beta"] = (Classes, (z, y) => F.soft_label_ce_loss(z, y, SoftLabelShape.Beta())),
        ["triangular:alpha2=0.1"] = (Classes, (z, y) => F.soft_label_ce_loss(z, y, SoftLabelShape.Triangular(0.1))),
        ["geometric:alpha=0.2"] = (Classes, (z, y) => F.soft_label_ce_loss(z, y, SoftLabelShape.Geometric(0.2))),
        ["cdw-ce:alpha=2"] = (Classes, (z, y) => F.cdw_ce_loss(z, y, 2)),
        ["slace:alpha=3"] = (Classes, (z, y) => F.slace_loss(z, y, 3)),
        ["qwk:penalty=linear"] = (Classes, (z, y) => F.qwk_loss(z, y, KappaPenalty.Linear)),
        ["mce"] = (Classes, (z, y) => F.mce_loss(z, y)),
        ["mce-qwk:c=0.25"] = (Classes, (z, y) => F.mce_qwk_loss(z, y, 0.25)),
    };

    public static TheoryData<string> Specs() => [.. Expected.Keys];

    [Fact]
    public void Every_ordinal_method_of_the_table_is_checked_here()
    {
        var covered = Expected.Keys.Select(k => LossSpec.Parse(k).Name).ToHashSet();
        Assert.Equal(LossMethods.All.Where(m => m.IsOrdinal).Select(m => m.Name).Order(), covered.Order());
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void The_training_loss_is_the_library_function_with_the_parameters_given(string text)
    {
        using var scope = torch.NewDisposeScope();
        var spec = LossSpec.Parse(text);
        var (outputs, loss) = Expected[text];
        using var objective = new Objective(spec, Classes, 8, CPU);
        Assert.Equal(outputs, objective.Outputs);
        torch.manual_seed(3);
        var z = torch.randn(12, outputs, dtype: ScalarType.Float64) * 2;
        var y = torch.tensor(new long[] { 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 2, 2 });
        var features = torch.zeros(12, 8, dtype: ScalarType.Float64);
        Assert.Equal(loss(z, y).ToDouble(), objective.Loss(z, features, y).ToDouble(), 12);

        // A parameter's default is not what was given: the loss with the defaults differs (the parameters reach the library).
        var defaults = LossSpec.Parse(spec.Name);
        if (spec.Parameters is { Count: > 0 })
        {
            using var plain = new Objective(defaults, Classes, 8, CPU);
            Assert.NotEqual(loss(z, y).ToDouble(), plain.Loss(z, features, y).ToDouble(), 9);
        }
    }

    [Theory]
    [InlineData("coral")]
    [InlineData("logistic-at")]
    [InlineData("corn")]
    [InlineData("ecoc")]
    [InlineData("cdw-ce")]
    public void The_distribution_and_the_class_come_from_the_library(string name)
    {
        using var scope = torch.NewDisposeScope();
        using var objective = new Objective(LossSpec.Parse(name), Classes, 8, CPU);
        torch.manual_seed(5);
        var z = torch.randn(50, objective.Outputs) * 3;
        var (p, c) = name switch
        {
            "coral" => (Thresholds.coral_probabilities(z), Thresholds.threshold_predict(z)),
            "logistic-at" => (Thresholds.logistic_at_probabilities(z), Thresholds.threshold_predict(z)),
            "corn" => (Thresholds.corn_probabilities(z), Thresholds.corn_predict(z)),
            "ecoc" => (Thresholds.ecoc_probabilities(z.sigmoid()), Thresholds.ecoc_predict(z.sigmoid())),
            _ => (z.softmax(1), (Tensor?)null),
        };
        Assert.True(objective.Probabilities(z).allclose(p, rtol: 0, atol: 1e-7));
        Assert.True(objective.Probabilities(z).sum(1).allclose(torch.ones(50), rtol: 0, atol: 1e-5));
        if (c is null)
        {
            Assert.Null(objective.Classes(z));
        }
        else
        {
            Assert.Equal(c.data<long>().ToArray(), objective.Classes(z)!.data<long>().ToArray());
        }
    }

    [Fact]
    public void The_validation_loss_of_a_threshold_head_is_the_cross_entropy_of_its_distribution()
    {
        using var scope = torch.NewDisposeScope();
        using var objective = new Objective(LossSpec.Parse("corn"), Classes, 8, CPU);
        var z = torch.tensor(new float[] { 1, -2, 0.5f, 3, -1, 0, 2, 2 }, 2, 4);
        var y = torch.tensor(new long[] { 1, 4 });
        var p = Thresholds.corn_probabilities(z);
        double expected = -(Math.Log(p[0, 1].ToDouble()) + Math.Log(p[1, 4].ToDouble())) / 2;
        Assert.Equal(expected, objective.ValidationLoss(z, y).ToDouble(), 5);
    }

    [Theory]
    [InlineData("gaussian:0.7")]
    [InlineData("sord:alpha=2")]
    [InlineData("binomial")]
    [InlineData("triangular:alpha2=0.1")]
    public void Cross_entropy_on_the_soft_labels_of_a_shape_is_that_shape_s_loss(string shape)
    {
        // --loss ce --soft-labels SHAPE trains what --loss SHAPE trains (the soft-label family is one loss, many shapes).
        using var scope = torch.NewDisposeScope();
        var (sigma, name) = SoftLabels.Parse(shape);
        Assert.Equal(shape.StartsWith("gaussian", StringComparison.Ordinal), sigma is not null);
        var ce = new LossSpec { Name = "ce", SoftLabelSigma = sigma, SoftLabelShapeName = name };
        Assert.EndsWith($"soft labels {shape})", ce.Describe(), StringComparison.Ordinal);
        int[] labels = [0, 1, 2, 3, 4, 4, 2, 0];
        var targets = sigma is double s ? SoftLabels.Gaussians(labels, Classes, s) : SoftLabels.Rows(labels, Classes, SoftLabels.ParseShape(name!));
        torch.manual_seed(11);
        var z = torch.randn(labels.Length, Classes, dtype: ScalarType.Float64);
        var y = torch.tensor(labels.Select(l => (long)l).ToArray());
        var features = torch.zeros(labels.Length, 8, dtype: ScalarType.Float64);
        using var soft = new Objective(ce, Classes, 8, CPU);
        using var family = new Objective(LossSpec.Parse(shape), Classes, 8, CPU);
        var t = torch.tensor(targets, labels.Length, Classes).to(ScalarType.Float64);
        Assert.Equal(family.Loss(z, features, y).ToDouble(), soft.Loss(z, features, y, t).ToDouble(), 6);
    }
}
