using EarthMover.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using F = EarthMover.earthmover.nn.functional;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Tests.Ordinal;

/// <summary>Bad input naming the parameter, and the degenerate cases and identities of the ordinal losses (docs/math.md §15-§24).</summary>
public class OrdinalEdgeCaseTests
{
    private static Tensor Z(int rows, int width, int seed = 3, ScalarType dtype = ScalarType.Float64) =>
        torch.randn(rows, width, dtype: ScalarType.Float64, generator: torch.manual_seed(seed)).to(dtype);

    private static Tensor Y(params long[] values) => torch.tensor(values, dtype: ScalarType.Int64);

    private static void Throws(string parameter, Action call)
    {
        var e = Assert.ThrowsAny<ArgumentException>(call);
        Assert.Equal(parameter, e.ParamName);
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        using var scope = torch.NewDisposeScope();
        // A threshold head of K - 1 = 4 columns: class 5 does not exist; a head of width 0 is K = 1.
        Throws("target", () => F.coral_loss(Z(3, 4), Y(0, 5, 1)));
        Throws("target", () => F.corn_loss(Z(3, 4), Y(0, -1, 1)));
        Throws("target", () => F.logistic_at_loss(Z(3, 4).to(ScalarType.Float32), Y(0, 5, 1)));
        Throws("input", () => F.coral_loss(Z(3, 0), Y(0, 0, 0)));
        Throws("importance_weights", () => F.coral_loss(Z(3, 4), Y(0, 1, 2), importance_weights: [1.0, 1.0]));
        Throws("importance_weights", () => F.coral_loss(Z(3, 4), Y(0, 1, 2), importance_weights: [1.0, -1.0, 1, 1]));
        Throws("input_type", () => F.corn_loss(torch.sigmoid(Z(3, 4)), Y(0, 1, 2), input_type: EmdInput.Probabilities));
        Throws("input", () => F.ecoc_loss(Z(3, 4) * 5, Y(0, 1, 2), input_type: EmdInput.Probabilities));
        Throws("input", () => F.ecoc_loss(Z(3, 4).to(ScalarType.Float32) * 5, Y(0, 1, 2), input_type: EmdInput.Probabilities));
        Throws("weight", () => F.coral_loss(Z(3, 4), Y(0, 1, 2), weight: torch.ones(4, dtype: ScalarType.Float64)));
        // NaN, in the fused kernels and the tensor operations (a target that needs a gradient cannot: indices).
        var nan = Z(3, 4).index_put_(torch.tensor(double.NaN), [torch.tensor(1), torch.tensor(2)]);
        Throws("input", () => F.coral_loss(nan, Y(0, 1, 2)));
        Throws("input", () => F.cdw_ce_loss(nan, Y(0, 1, 2)));
        Throws("input", () => F.slace_loss(nan, Y(0, 1, 2), 1.0));
        Throws("input", () => F.qwk_loss(nan, Y(0, 1, 2)));
        Throws("input", () => F.soft_label_ce_loss(nan.to(ScalarType.Float16), Y(0, 1, 2), SoftLabelShape.Binomial()));
        // Options.
        Throws("alpha", () => F.cdw_ce_loss(Z(3, 4), Y(0, 1, 2), alpha: -1));
        Throws("alpha", () => F.slace_loss(Z(3, 4), Y(0, 1, 2), 0));
        Throws("alpha", () => SoftLabelShape.Sord(-2));
        Throws("sigma", () => SoftLabelShape.Gaussian(double.NaN));
        Throws("alpha2", () => SoftLabelShape.Triangular(0.3));
        Throws("alpha", () => SoftLabelShape.Geometric(0.0));
        Throws("paramsSet", () => SoftLabelShape.Beta("wide"));
        Throws("shape", () => F.soft_label_ce_loss(Z(3, 2), Y(0, 1, 1), SoftLabelShape.Beta()));
        Throws("shape", () => F.soft_label_ce_loss(Z(3, 15), Y(0, 1, 1), SoftLabelShape.Beta()));
        Throws("alphas", () => F.soft_label_ce_loss(Z(3, 4), Y(0, 1, 1), SoftLabelShape.GeneralTriangular([0.1, 0.1])));
        Throws("alphas", () => F.soft_label_ce_loss(Z(3, 3), Y(0, 1, 1), SoftLabelShape.GeneralTriangular([0, 0, 0.05, 0, 0, 0.05])));
        Throws("matrix", () => SoftLabelShape.FromMatrix(new double[,] { { 0.5, 0.6 }, { 0, 1 } }));
        Throws("matrix", () => F.soft_label_ce_loss(Z(3, 3), Y(0, 1, 1), SoftLabelShape.FromMatrix(new double[,] { { 0.5, 0.5 }, { 0, 1 } })));
        Throws("eta", () => F.soft_label_ce_loss(Z(3, 4), Y(0, 1, 1), SoftLabelShape.Binomial(), eta: 1.5));
        Throws("label_smoothing", () => F.soft_label_ce_loss(Z(3, 4), Y(0, 1, 1), SoftLabelShape.Binomial(), label_smoothing: -0.1));
        Throws("reduction", () => F.qwk_loss(Z(3, 4), Y(0, 1, 2), reduction: Reduction.None));
        Throws("reduction", () => F.mce_qwk_loss(Z(3, 4), Y(0, 1, 2), reduction: Reduction.None));
        Throws("C", () => F.mce_qwk_loss(Z(3, 4), Y(0, 1, 2), C: 2));
        Throws("penalization_type", () => F.qwk_loss(Z(3, 4), Y(0, 1, 2), penalization_type: (KappaPenalty)7));
        Throws("classes", () => earthmover.nn.CoralLayer(8, 1));
        Throws("logits", () => earthmover.ordinal.coral_probabilities(torch.zeros(3)));
    }

    [Fact]
    public void Mixed_soft_label_rows_are_what_the_loss_trains_on()
    {
        using var scope = torch.NewDisposeScope();
        const int classes = 6;
        const double eta = 0.3;
        var shape = SoftLabelShape.Binomial();
        var m = shape.Matrix(classes);
        var mixed = shape.Matrix(classes, eta);
        for (int y = 0; y < classes; y++)
        {
            for (int k = 0; k < classes; k++)
            {
                Assert.Equal(eta * m[y, k] + (k == y ? 1 - eta : 0), mixed[y, k], 15);
            }
        }
        // The loss with η is cross-entropy against these rows, Σ_k -t_k log softmax(z)_k, summed here by hand.
        var z = torch.randn(4, classes, dtype: ScalarType.Float64, generator: torch.manual_seed(5));
        var target = torch.tensor(new long[] { 0, 2, 5, 3 });
        var loss = F.soft_label_ce_loss(z, target, shape, eta: eta, reduction: Reduction.None);
        for (int i = 0; i < 4; i++)
        {
            var row = Enumerable.Range(0, classes).Select(k => z[i, k].item<double>()).ToArray();
            double lse = Math.Log(row.Sum(Math.Exp));
            int y = (int)target[i].item<long>();
            double expected = Enumerable.Range(0, classes).Sum(k => -mixed[y, k] * (row[k] - lse));
            Assert.Equal(expected, loss[i].item<double>(), 12);
        }
        var error = Assert.Throws<ArgumentException>(() => shape.Matrix(classes, 1.5));
        Assert.Equal("eta", error.ParamName);
        Assert.Throws<ArgumentException>(() => shape.Matrix(classes, double.NaN));
    }

    [Fact]
    public void Identities_between_the_losses_hold()
    {
        using var scope = torch.NewDisposeScope();
        var z = Z(7, 1);
        var y = Y(0, 1, 1, 0, 1, 0, 1);
        // With K = 2, CORN is CORAL; logistic all-threshold is CORAL without importance weights.
        Assert.Equal(F.coral_loss(z, y).ToDouble(), F.corn_loss(z, y).ToDouble(), 14);
        var z4 = Z(6, 4) * 3;
        var y4 = Y(0, 1, 2, 3, 4, 2);
        Assert.Equal(F.coral_loss(z4, y4, reduction: Reduction.Sum).ToDouble(), F.logistic_at_loss(z4, y4, reduction: Reduction.Sum).ToDouble(), 12);
        // η = 0 is cross-entropy; the softmax losses do not change when a constant is added to the logits.
        var x = Z(6, 5) * 4;
        Assert.Equal(torch.nn.functional.cross_entropy(x, y4).ToDouble(), F.soft_label_ce_loss(x, y4, SoftLabelShape.Poisson(), eta: 0).ToDouble(), 12);
        foreach (var f in new Func<Tensor, Tensor>[] { v => F.cdw_ce_loss(v, y4, 2.0), v => F.slace_loss(v, y4, 1.0), v => F.qwk_loss(v, y4), v => F.soft_label_ce_loss(v, y4, SoftLabelShape.Sord(2)) })
        {
            Assert.Equal(f(x).ToDouble(), f(x + 1000).ToDouble(), 9);
        }
    }

    [Fact]
    public void Confidently_wrong_and_extreme_logits_give_finite_values_and_gradients()
    {
        using var scope = torch.NewDisposeScope();
        // All the mass on the far wrong class, float32 logits of 10⁴: dlordinal's CDW-CE is NaN or starved here.
        var z = torch.tensor(new float[] { 1e4f, 0, 0, 0, 0, 0, 0, 0, 0, -1e4f }, 2, 5).requires_grad_();
        var y = Y(4, 0);
        foreach (var f in new Func<Tensor>[]
        {
            () => F.cdw_ce_loss(z, y, 1.0), () => F.slace_loss(z, y, 1.0), () => F.soft_label_ce_loss(z, y, SoftLabelShape.Binomial()),
            () => F.qwk_loss(z, y), () => F.mce_qwk_loss(z, y),
        })
        {
            z.grad = null;
            var value = f();
            value.backward();
            Assert.True(double.IsFinite(value.ToDouble()));
            Assert.All(Tensors.ToDoubles(z.grad!), g => Assert.True(double.IsFinite(g)));
        }
        // The wrong sample gets the full gradient: at the wrong class m = 0, W p_0 - Σ_{j ≠ y, 0} w_j e^{z_0 - l_j} = 10 - 6 = |0 - 4|.
        z.grad = null;
        F.cdw_ce_loss(z, y, 1.0, reduction: Reduction.Sum).backward();
        Assert.Equal(4.0, z.grad![0, 0].ToDouble(), 3);
        var t = torch.tensor(new double[] { 1e3, -1e3, 1e3, -1e3 }, 2, 2).requires_grad_();
        var value3 = F.corn_loss(t, Y(2, 0));
        value3.backward();
        Assert.Equal(2000, value3.ToDouble() * 3, 6); // (0 + 1000 + 1000) over 3 (sample, task) pairs
        Assert.All(Tensors.ToDoubles(t.grad!), g => Assert.True(double.IsFinite(g)));
    }

    [Fact]
    public void A_one_class_batch_gives_qwk_of_one_and_almost_no_gradient()
    {
        using var scope = torch.NewDisposeScope();
        var z = Z(5, 4).requires_grad_();
        var value = F.qwk_loss(z, Y(2, 2, 2, 2, 2));
        value.backward();
        Assert.Equal(1.0, value.ToDouble(), 8);
        Assert.True(z.grad!.abs().max().ToDouble() < 1e-8);
    }

    [Fact]
    public void The_coral_head_shares_its_weights_and_starts_with_decreasing_biases()
    {
        using var scope = torch.NewDisposeScope();
        using var head = earthmover.nn.CoralLayer(3, 5);
        Assert.Equal([1.0, 0.75, 0.5, 0.25], Tensors.ToDoubles(head.coral_bias).Select(v => Math.Round(v, 6)));
        var h = torch.randn(4, 3);
        var z = head.forward(h);
        Assert.Equal([4L, 4], z.shape);
        // Shared weights: the logits of a row differ by the biases only.
        var d = z - head.coral_bias;
        Assert.True((d - d.narrow(1, 0, 1)).abs().max().ToDouble() < 1e-6);
        F.coral_loss(z, Y(0, 1, 4, 2)).backward();
        Assert.Equal(2, head.parameters().Count(p => p.grad is not null));
        var p = earthmover.ordinal.coral_probabilities(z);
        Assert.True((p.sum(1) - 1).abs().max().ToDouble() < 1e-6);
    }
}
