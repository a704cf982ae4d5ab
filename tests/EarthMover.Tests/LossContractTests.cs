using EarthMover.Engine;
using EarthMover.Kernels;
using EarthMover.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Tests;

/// <summary>
/// The promises the README makes for every loss, checked for every loss in <see cref="LossRegistry"/>: a loss
/// registered there is covered by these tests without new test code. Edge cases and bad input give the same
/// behaviour everywhere (a value documented in docs/math.md §7, or an ArgumentException naming the parameter);
/// second derivatives are exact in both execution paths; every type and the module agree with the function.
/// </summary>
public class LossContractTests
{
    private const int Classes = 5;

    public static TheoryData<string> Losses() => [.. LossRegistry.All.Select(l => l.Name)];

    private static LossFunction Function(string name, int classes = Classes) => LossRegistry.Get(name).Function(classes);

    private static bool Soft(string name) => LossRegistry.Get(name).Definition(Classes).AcceptsDistributions;

    // The input width for K classes: K, or K - 1 for a threshold model (CORAL, CORN, logistic all-threshold, ECOC).
    private static int Width(string name, int classes = Classes) => LossRegistry.Get(name).Definition(Classes).InputWidth(classes);

    private static bool Probabilities(string name) => LossRegistry.Get(name).Definition(Classes).AcceptsProbabilities;

    private static bool BatchLevel(string name) => LossRegistry.Get(name).Definition(Classes).BatchLevel;

    private static Tensor Logits(int rows, int classes = Classes, ScalarType dtype = ScalarType.Float64, int seed = 1) =>
        torch.randn(rows, classes, dtype: ScalarType.Float64, generator: torch.manual_seed(seed)).to(dtype);

    private static Tensor Indices(int rows, int classes = Classes) => torch.arange(rows, dtype: ScalarType.Int64) % classes;

    private static Tensor Distributions(int rows, int classes = Classes, int seed = 2) =>
        torch.rand(rows, classes, dtype: ScalarType.Float64, generator: torch.manual_seed(seed)).softmax(1);

    private static void Throws(string parameter, Action call)
    {
        var e = Assert.ThrowsAny<ArgumentException>(call);
        Assert.Equal(parameter, e.ParamName);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void Bad_input_is_refused_naming_the_parameter(string name)
    {
        using var scope = torch.NewDisposeScope();
        var f = Function(name);
        int w = Width(name);
        var z = Logits(4, w);
        var k = Indices(4);
        Throws("input", () => f(Logits(4, Width(name, 1)), torch.zeros(4, dtype: ScalarType.Int64), null, null, Reduction.Mean, EmdInput.Logits));
        Throws("input", () => f(torch.randn(4), k, null, null, Reduction.Mean, EmdInput.Logits));
        Throws("input", () => f(z.index_put_(torch.tensor(double.NaN), [torch.tensor(1), torch.tensor(2)]).clone(), k, null, null, Reduction.Mean, EmdInput.Logits));
        Throws("input", () => f(Logits(4, w).index_put_(torch.tensor(double.PositiveInfinity), [torch.tensor(0), torch.tensor(0)]), k, null, null, Reduction.Sum, EmdInput.Logits));
        Throws(Probabilities(name) ? "input" : "input_type", () => f(Logits(4, w), k, null, null, Reduction.Mean, EmdInput.Probabilities));
        Throws("target", () => f(Logits(4, w), torch.tensor(new long[] { 0, 1, 2, Classes }), null, null, Reduction.Mean, EmdInput.Logits));
        Throws("target", () => f(Logits(4, w), torch.tensor(new long[] { 0, -1, 2, 3 }), null, null, Reduction.Mean, EmdInput.Logits));
        Throws("target", () => f(Logits(4, w), Indices(3), null, null, Reduction.Mean, EmdInput.Logits));
        Throws("sample_weight", () => f(Logits(4, w), k, null, torch.ones(3, dtype: ScalarType.Float64), Reduction.Mean, EmdInput.Logits));
        Throws("sample_weight", () => f(Logits(4, w), k, null, torch.tensor(new[] { 1.0, -1, 1, 1 }), Reduction.Mean, EmdInput.Logits));
        Throws("sample_weight", () => f(Logits(4, w), k, null, torch.tensor(new[] { 1.0, double.NaN, 1, 1 }), Reduction.Sum, EmdInput.Logits));
        Throws("weight", () => f(Logits(4, w), k, torch.ones(Classes + 1, dtype: ScalarType.Float64), null, Reduction.Mean, EmdInput.Logits));
        Throws("weight", () => f(Logits(4, w), k, torch.tensor(new[] { 1.0, 1, double.PositiveInfinity, 1, 1 }), null, Reduction.Mean, EmdInput.Logits));
        Throws("reduction", () => f(Logits(4, w), k, null, null, (Reduction)17, EmdInput.Logits));
        Throws("input_type", () => f(Logits(4, w), k, null, null, Reduction.Mean, (EmdInput)17));
        if (Soft(name))
        {
            var rows = Distributions(4);
            Throws("target", () => f(Logits(4, w), torch.zeros(4, Classes, dtype: ScalarType.Float64), null, null, Reduction.Mean, EmdInput.Logits));
            Throws("target", () => f(Logits(4, w), rows * 2, null, null, Reduction.Mean, EmdInput.Logits));
            Throws("target", () => f(Logits(4, w), rows.index_put_(torch.tensor(double.NaN), [torch.tensor(0), torch.tensor(0)]), null, null, Reduction.Mean, EmdInput.Logits));
            Throws("weight", () => f(Logits(4, w), Distributions(4), torch.ones(Classes, dtype: ScalarType.Float64), null, Reduction.Mean, EmdInput.Logits));
        }
        else
        {
            Throws("target", () => f(Logits(4, w), Distributions(4), null, null, Reduction.Mean, EmdInput.Logits));
        }
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void Empty_batches_and_zero_weights_behave_the_same_for_every_loss(string name)
    {
        using var scope = torch.NewDisposeScope();
        var f = Function(name);
        int w = Width(name);
        var empty = torch.zeros(0, w, dtype: ScalarType.Float64).requires_grad_();
        var none = torch.zeros(0, dtype: ScalarType.Int64);
        Throws("input", () => f(empty, none, null, null, Reduction.Mean, EmdInput.Logits));
        if (BatchLevel(name))
        {
            BatchLevelEdgeCases(name, f, empty, none);
            return;
        }
        var sum = f(empty, none, null, null, Reduction.Sum, EmdInput.Logits);
        Assert.Equal(0.0, sum.ToDouble());
        sum.backward();
        Assert.Equal([0L, w], empty.grad!.shape);
        Assert.Equal([0L], f(empty, none, null, null, Reduction.None, EmdInput.Logits).shape);

        // Zero total weight: the weighted mean is 0/0 and refused, naming the weight that made it so.
        var z = Logits(4, w);
        var k = Indices(4);
        Throws("sample_weight", () => f(z, k, null, torch.zeros(4, dtype: ScalarType.Float64), Reduction.Mean, EmdInput.Logits));
        Throws("weight", () => f(z, k, torch.zeros(Classes, dtype: ScalarType.Float64), null, Reduction.Mean, EmdInput.Logits));
        Assert.Equal(0.0, f(z, k, null, torch.zeros(4, dtype: ScalarType.Float64), Reduction.Sum, EmdInput.Logits).ToDouble());
        var perSample = Tensors.ToDoubles(f(z, k, null, torch.tensor(new[] { 0.0, 1, 0, 2 }), Reduction.None, EmdInput.Logits));
        Assert.Equal(0.0, perSample[0]);
        Assert.Equal(0.0, perSample[2]);

        // Weighted mean = Σ v L / Σ v, with v = sample_weight · weight[target], for every loss.
        var s = torch.tensor(new[] { 0.5, 1, 2, 0.25 });
        var cw = torch.tensor(new[] { 1.0, 2, 0.5, 3, 1 });
        var rows = Tensors.ToDoubles(f(z, k, null, null, Reduction.None, EmdInput.Logits));
        var v = Tensors.ToDoubles(s * cw.index_select(0, k));
        // CORN's mean is over (sample, task) pairs: each sample counts n_i terms in the denominator (docs/math.md §17).
        var counts = LossRegistry.Get(name).Definition(Classes).MeanCounts(k, Classes, ScalarType.Float64);
        var n = counts is null ? v.Select(_ => 1.0).ToArray() : Tensors.ToDoubles(counts);
        double expected = rows.Zip(v, (l, x) => l * x).Sum() / v.Zip(n, (x, c) => x * c).Sum();
        Assert.Equal(expected, f(z, k, cw, s, Reduction.Mean, EmdInput.Logits).ToDouble(), 12);
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void A_target_that_needs_a_gradient_gets_one_or_is_refused(string name)
    {
        if (!Soft(name))
        {
            return;
        }
        using var scope = torch.NewDisposeScope();
        var f = Function(name);
        int w = Width(name);
        var t = Distributions(3).requires_grad_();
        var definition = LossRegistry.Get(name).Definition(Classes);
        if (!definition.DifferentiatesTarget)
        {
            Throws("target", () => f(Logits(3, w), t, null, null, Reduction.Mean, EmdInput.Logits));
            return;
        }
        f(Logits(3, w), t, null, null, Reduction.Mean, EmdInput.Logits).backward();
        Assert.All(Tensors.ToDoubles(t.grad!), g => Assert.True(double.IsFinite(g)));
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void Every_floating_type_gives_the_float64_value(string name)
    {
        using var scope = torch.NewDisposeScope();
        var f = Function(name);
        var z = Logits(6, Width(name)) * 2;
        var k = Indices(6);
        double reference = f(z, k, null, null, Reduction.Mean, EmdInput.Logits).ToDouble();
        foreach (var (dtype, tolerance) in new[] { (ScalarType.Float32, 1e-5), (ScalarType.Float16, 2e-2), (ScalarType.BFloat16, 5e-2) })
        {
            var x = z.to(dtype).requires_grad_();
            var value = f(x, k, null, null, Reduction.Mean, EmdInput.Logits);
            Assert.Equal(dtype, value.dtype);
            Assert.True(Math.Abs(value.ToDouble() - reference) <= tolerance * Math.Max(1, Math.Abs(reference)), $"{dtype}: {value.ToDouble()} against {reference}");
            value.backward();
            Assert.All(Tensors.ToDoubles(x.grad!), g => Assert.True(double.IsFinite(g), $"{dtype}: a non-finite gradient"));
        }
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void Class_indices_give_the_value_and_gradient_of_their_one_hot_distributions(string name)
    {
        // Where a loss takes both, a class index is the point mass on it: the same value and (through the softmax)
        // the same gradient, whichever path each takes (emd_loss and wasserstein_1d_loss compute class indices
        // as the expected ground distance, their distributions with a solver).
        if (!Soft(name))
        {
            return;
        }
        using var scope = torch.NewDisposeScope();
        var f = Function(name);
        foreach (var dtype in new[] { ScalarType.Float64, ScalarType.Float32 })
        {
            double tolerance = dtype == ScalarType.Float64 ? 1e-10 : 2e-5;
            var z = (Logits(40, seed: 7) * 3).to(dtype);
            var k = torch.randint(0, Classes, 40, dtype: ScalarType.Int64, generator: torch.manual_seed(8));
            var onehot = torch.nn.functional.one_hot(k, Classes).to(dtype);
            var x1 = z.clone().requires_grad_();
            var x2 = z.clone().requires_grad_();
            var byIndex = f(x1, k, null, null, Reduction.None, EmdInput.Logits);
            var byDistribution = f(x2, onehot, null, null, Reduction.None, EmdInput.Logits);
            AssertClose(byDistribution, byIndex, tolerance, $"{dtype} values");
            byIndex.sum().backward();
            byDistribution.sum().backward();
            AssertClose(x2.grad!, x1.grad!, tolerance, $"{dtype} gradients");
            var p = z.softmax(1);
            AssertClose(f(p, onehot, null, null, Reduction.None, EmdInput.Probabilities), f(p, k, null, null, Reduction.None, EmdInput.Probabilities), tolerance, $"{dtype} values of probabilities");
        }
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance, string what)
    {
        var e = Tensors.ToDoubles(expected);
        var a = Tensors.ToDoubles(actual);
        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++)
        {
            Assert.True(Math.Abs(e[i] - a[i]) <= tolerance * Math.Max(1, Math.Abs(e[i])), $"{what}, entry {i}: {a[i]} against {e[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void The_module_computes_the_function(string name)
    {
        using var scope = torch.NewDisposeScope();
        var loss = LossRegistry.Get(name);
        var z = Logits(5, Width(name));
        var k = Indices(5);
        var w = torch.tensor(new[] { 1.0, 2, 0.5, 3, 1 });
        var s = torch.tensor(new[] { 0.5, 1, 2, 0.25, 1 });
        using var module = loss.Module(Classes, EmdInput.Logits, w, Reduction.Sum);
        Assert.Equal(loss.Function(Classes)(z, k, w, s, Reduction.Sum, EmdInput.Logits).ToDouble(), module.forward(z, k, s).ToDouble(), 14);
        Assert.Equal(loss.Function(Classes)(z, k, w, null, Reduction.Sum, EmdInput.Logits).ToDouble(), module.forward(z, k).ToDouble(), 14);
        Assert.Equal(["weight"], module.named_buffers().Select(b => b.name));
        module.input_type = EmdInput.Probabilities;
        if (!Probabilities(name))
        {
            Throws("input_type", () => module.forward(z, k));
        }
        else
        {
            var probabilities = LossRegistry.Get(name).Definition(Classes).ProbabilitiesPerEntry ? torch.sigmoid(z) : z.softmax(1);
            Assert.Equal(loss.Function(Classes)(probabilities, k, w, null, Reduction.Sum, EmdInput.Probabilities).ToDouble(), module.forward(probabilities, k).ToDouble(), 14);
        }
        Assert.ThrowsAny<ArgumentException>(() => module.input_type = (EmdInput)9);
    }

    public static TheoryData<string, string, bool> SecondOrderCases()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var loss in LossRegistry.All)
        {
            var definition = loss.Definition(Classes);
            foreach (var backend in definition.Fused == FusedKind.None ? new[] { "TensorOps" } : ["Fused", "TensorOps"])
            {
                data.Add(loss.Name, backend, false);
                if (definition.AcceptsDistributions)
                {
                    data.Add(loss.Name, backend, true);
                }
            }
        }
        return data;
    }

    /// <summary>
    /// create_graph through every loss and path: the Hessian-vector product H v against central differences of
    /// first gradients, (g(x + h v) - g(x - h v)) / 2h, in float64 within 1e-6.
    /// </summary>
    [Theory]
    [MemberData(nameof(SecondOrderCases))]
    public void Hessian_vector_products_match_central_differences_of_gradients(string name, string backend, bool soft)
    {
        using var scope = torch.NewDisposeScope();
        var definition = LossRegistry.Get(name).Definition(Classes);
        var path = Backends.Parse(backend);
        var target = soft ? Distributions(6) : Indices(6);
        var s = torch.tensor(new[] { 1.0, 0.5, 2, 1, 0.25, 1.5 });
        Tensor Gradient(Tensor x, bool graph)
        {
            var value = LossEngine.Run(definition, x, target, null, s, definition.BatchLevel ? BatchReduction(definition) : Reduction.Mean, EmdInput.Logits, path);
            return torch.autograd.grad([value], [x], retain_graph: graph, create_graph: graph)[0];
        }
        int width = definition.InputWidth(Classes);
        var z = (Logits(6, width, seed: 5) * 1.5).requires_grad_();
        var v = torch.randn(6, width, dtype: ScalarType.Float64, generator: torch.manual_seed(6));
        var g = Gradient(z, graph: true);
        var hv = torch.autograd.grad([(g * v).sum()], [z])[0];
        const double h = 1e-5;
        var plus = Gradient((z.detach() + h * v).requires_grad_(), graph: false);
        var minus = Gradient((z.detach() - h * v).requires_grad_(), graph: false);
        var numeric = (plus - minus) / (2 * h);
        double error = (hv - numeric).abs().max().ToDouble();
        double size = numeric.abs().max().ToDouble();
        Assert.True(size > 1e-6, "the Hessian-vector product is too small to compare");
        Assert.True(error <= 1e-6 * Math.Max(1, size), $"{name} ({backend}, {(soft ? "soft" : "hard")} targets): |Hv - central differences| = {error:E2}, |Hv| = {size:E2}");
    }

    public static TheoryData<string, string> PathCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var loss in LossRegistry.All)
        {
            foreach (var backend in loss.Definition(Classes).Fused == FusedKind.None ? new[] { "TensorOps" } : ["Fused", "TensorOps"])
            {
                data.Add(loss.Name, backend);
            }
        }
        return data;
    }

    /// <summary>
    /// A graph kept for several backward passes (retain_graph) gives the same gradient each time, however the
    /// gradient handed out by an earlier pass is used afterwards: accumulated into a leaf's .grad through a view (which
    /// takes the tensor itself rather than a copy), or changed in place by the caller after torch.autograd.grad.
    /// Three backward passes accumulate three times the gradient of one: through a view of a small leaf, and on a leaf
    /// large enough for the library to apply the loss to a view of it itself (FusedLossFunction.LeafViewElements).
    /// </summary>
    [Theory]
    [MemberData(nameof(PathCases))]
    public void Backward_passes_through_a_kept_graph_give_the_same_gradient_each_time(string name, string backend)
    {
        using var scope = torch.NewDisposeScope();
        var definition = LossRegistry.Get(name).Definition(Classes);
        var path = Backends.Parse(backend);
        foreach (var (rows, viewed) in new[] { (6, true), (8192, false) })
        {
            var target = Indices(rows);
            foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
            {
                var leaf = Logits(rows, definition.InputWidth(Classes), dtype, seed: 7).requires_grad_();
                Tensor Input() => viewed ? leaf.view(rows, -1) : leaf;
                Tensor Loss() => LossEngine.Run(definition, Input(), target, null, null, Reduction.Sum, EmdInput.Logits, path);
                string what = $"{name} ({backend}, {dtype}, {rows} rows{(viewed ? " through a view" : "")})";
                var once = torch.autograd.grad([Loss()], [leaf])[0];

                var kept = Loss();
                for (int pass = 0; pass < 3; pass++)
                {
                    kept.backward(retain_graph: true);
                }
                AssertClose(3 * once, leaf.grad!, $"{what}: three backward passes");

                var logits = Input();
                var again = LossEngine.Run(definition, logits, target, null, null, Reduction.Sum, EmdInput.Logits, path);
                torch.autograd.grad([again], [logits], retain_graph: true)[0].zero_();
                leaf.grad = null;
                again.backward();
                AssertClose(once, leaf.grad!, $"{what}: backward after the caller zeroed an earlier gradient in place");
                leaf.grad = null;
            }
        }

        static void AssertClose(Tensor expected, Tensor actual, string what)
        {
            double error = (actual - expected).abs().max().ToDouble();
            double size = expected.abs().max().ToDouble();
            Assert.True(size > 0, $"{what}: the gradient is zero");
            Assert.True(error <= 1e-5 * Math.Max(1, size), $"{what}: off by {error:E2} (gradient size {size:E2})");
        }
    }

    // A reduction every batch-level loss accepts: Mean (QWK: the batch value; MCE: the mean over classes).
    private static Reduction BatchReduction(LossDefinition definition) => Reduction.Mean;

    /// <summary>
    /// A batch-level loss (QWK, MCE) has no per-sample values: an empty batch is refused for every reduction, the
    /// sample weights must not all be 0 (they divide every term), and integer sample weights equal repeated rows.
    /// </summary>
    private static void BatchLevelEdgeCases(string name, LossFunction f, Tensor empty, Tensor none)
    {
        Throws("input", () => f(empty, none, null, null, Reduction.Sum, EmdInput.Logits));
        var z = Logits(4, Width(name));
        var k = Indices(4);
        Throws("sample_weight", () => f(z, k, null, torch.zeros(4, dtype: ScalarType.Float64), Reduction.Mean, EmdInput.Logits));
        var s = torch.tensor(new[] { 2.0, 1, 0, 3 });
        var repeated = torch.tensor(new long[] { 0, 0, 1, 3, 3, 3 });
        double weighted = f(z, k, null, s, Reduction.Mean, EmdInput.Logits).ToDouble();
        double rows = f(z.index_select(0, repeated), k.index_select(0, repeated), null, null, Reduction.Mean, EmdInput.Logits).ToDouble();
        Assert.Equal(rows, weighted, 12);
    }
}
