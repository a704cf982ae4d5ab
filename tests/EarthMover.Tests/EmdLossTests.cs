using EarthMover.Kernels.Transport;
using EarthMover.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Tests;

/// <summary>The exact EMD for soft targets against POT's network simplex, and optimality certificates.</summary>
public class EmdLossTests
{
    public static TheoryData<int> ReferenceCases()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < TransportReference.Exact.Cases.Count; i++)
        {
            data.Add(i);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void Equals_pot_emd2(int index)
    {
        var c = TransportReference.Exact.Cases[index];
        var distance = GroundDistance.FromMatrix(Tensors.Array2D(c.Distance));
        Assert.Equal(c.Quasi_Metric, Emd.Solver(distance).IsQuasiMetric);
        using var t = Tensors.Matrix(c.T);
        bool logits = c.Logits is not null;
        using var input = Tensors.Matrix(logits ? c.Logits! : c.P);
        var type = logits ? EmdInput.Logits : EmdInput.Probabilities;
        using var each = earthmover.nn.functional.emd_loss(input, t, distance, type, reduction: Reduction.None);
        double scale = Math.Max(1, c.Distance.Max(r => r.Max()));
        Assert.Equal(c.Emd, Tensors.ToDoubles(each), new ToleranceComparer(1e-10 * scale));

        using var input32 = Tensors.Matrix(logits ? c.Logits! : c.P, ScalarType.Float32);
        using var t32 = Tensors.Matrix(c.T, ScalarType.Float32);
        using var mean32 = earthmover.nn.functional.emd_loss(input32, t32, distance, type);
        Assert.Equal(ScalarType.Float32, mean32.dtype);
        Assert.Equal(c.Emd.Average(), mean32.ToDouble(), 1e-5 * scale);
    }

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void Gradient_is_an_optimal_dual_potential_and_pot_s_where_that_is_unique(int index)
    {
        var c = TransportReference.Exact.Cases[index];
        var distance = GroundDistance.FromMatrix(Tensors.Array2D(c.Distance));
        using var p = Tensors.Matrix(c.P, requiresGrad: true);
        using var t = Tensors.Matrix(c.T);
        using var loss = earthmover.nn.functional.emd_loss(p, t, distance, EmdInput.Probabilities, reduction: Reduction.Sum);
        loss.backward();
        var grad = Tensors.ToDoubles(p.grad!);
        double scale = Math.Max(1, c.Distance.Max(r => r.Max()));
        for (int row = 0; row < c.P.Length; row++)
        {
            var f = grad.AsSpan(row * c.Classes, c.Classes).ToArray();
            Assert.Equal(0, f.Sum(), 1e-10 * scale);
            // With g = the c-transform of f, (f, g) is dual feasible; it is optimal when its objective reaches the EMD.
            double dual = Certificate.DualObjective(c.Distance, f, c.P[row], c.T[row]);
            Assert.Equal(c.Emd[row], dual, 1e-9 * scale);
            if (c.Nondegenerate[row])
            {
                Assert.Equal(c.Pot_U_Centred[row], f, new ToleranceComparer(1e-8 * scale));
            }
        }
    }

    [Fact]
    public void Random_degenerate_problems_have_a_primal_dual_certificate()
    {
        // Masses in eighths, costs among a few integers or on a line, zero masses, p = t, repeated classes: the
        // plan must meet both marginals, cost what the solver says, and match a feasible dual of equal value.
        var random = new Random(11);
        int checkedProblems = 0;
        foreach (int classes in new[] { 2, 3, 4, 5, 7, 9, 12 })
        {
            for (int trial = 0; trial < 60; trial++)
            {
                var d = RandomDistance(random, classes, trial % 5);
                var solver = new ExactTransport(classes, Flatten(d)) { Start = (StartRule)(trial % 3) };
                var p = RandomEighths(random, classes);
                var t = trial % 7 == 0 ? (double[])p.Clone() : RandomEighths(random, classes);
                var f = new double[classes];
                var plan = new List<(int From, int To, double Mass)>();
                double value = solver.Solve(p, t, f, plan);

                var rows = new double[classes];
                var columns = new double[classes];
                double cost = 0;
                foreach (var (from, to, mass) in plan)
                {
                    Assert.True(mass >= 0);
                    rows[from] += mass;
                    columns[to] += mass;
                    cost += mass * d[from][to];
                }
                Assert.Equal(p, rows, new ToleranceComparer(1e-12));
                Assert.Equal(t, columns, new ToleranceComparer(1e-12));
                Assert.Equal(cost, value, 1e-12);
                Assert.Equal(value, Certificate.DualObjective(d, f, p, t), 1e-9);
                checkedProblems++;
            }
        }
        Assert.Equal(7 * 60, checkedProblems);
    }

    [Theory]
    [InlineData("euclidean", 10)]
    [InlineData("asymmetric", 5)]
    [InlineData("line", 20)]
    public void Gradient_matches_finite_differences_at_non_degenerate_points(string kind, int classes)
    {
        var c = TransportReference.Exact.Cases.First(x => x.Kind == kind && x.Classes == classes && x.Nondegenerate.All(b => b));
        var distance = GroundDistance.FromMatrix(Tensors.Array2D(c.Distance));
        using var z = Tensors.Matrix(c.Logits!);
        using var t = Tensors.Matrix(c.T);
        using var w = torch.tensor(new[] { 0.5, 2, 0, 1.5 }, dtype: ScalarType.Float64);
        FiniteDifferences.AssertGradient(x => earthmover.nn.functional.emd_loss(x, t, distance), z);
        FiniteDifferences.AssertGradient(x => earthmover.nn.functional.emd_loss(x, t, distance, sample_weight: w, reduction: Reduction.None), z);
        using var p = Tensors.Matrix(c.P);
        FiniteDifferences.AssertGradient(x => earthmover.nn.functional.emd_loss(x, t, distance, EmdInput.Probabilities, reduction: Reduction.Sum), p, centreRows: true);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(0.5)]
    public void Gaussian_targets_with_tails_that_underflow_have_a_certificate(double power)
    {
        // Masses from 1 down to 1e-300 and exact zeros, on a line with |i - j|^w: a Monge matrix for w >= 1
        // (the north-west start), a metric for w <= 1 (the reduced problem).
        const int classes = 60;
        var d = Enumerable.Range(0, classes).Select(i => Enumerable.Range(0, classes).Select(j => Math.Pow(Math.Abs(i - j), power)).ToArray()).ToArray();
        var solver = new ExactTransport(classes, Flatten(d));
        var random = new Random(3);
        foreach (var start in new[] { StartRule.Auto, StartRule.MatrixMinimum, StartRule.NorthWest })
        {
            solver.Start = start;
            for (int trial = 0; trial < 20; trial++)
            {
                var t = Gaussian(classes, random.Next(classes), 1 + trial % 3);
                var p = trial % 2 == 0 ? Gaussian(classes, random.Next(classes), 2) : RandomEighths(random, classes);
                var f = new double[classes];
                var plan = new List<(int From, int To, double Mass)>();
                double value = solver.Solve(p, t, f, plan);
                double cost = plan.Sum(x => x.Mass * d[x.From][x.To]);
                Assert.Equal(cost, value, 1e-9 * classes);
                Assert.Equal(value, Certificate.DualObjective(d, f, p, t), 1e-7 * Math.Max(1, value));
            }
        }
    }

    [Fact]
    public void Class_indices_and_one_hot_distributions_give_the_ground_emd()
    {
        var c = TransportReference.Exact.Cases.First(x => x.Kind == "asymmetric" && x.Classes == 10);
        var distance = GroundDistance.FromMatrix(Tensors.Array2D(c.Distance));
        using var z = Tensors.Matrix(c.Logits!, requiresGrad: true);
        using var k = torch.tensor(new long[] { 3, 0, 9, 3 });
        using var oneHot = nn.functional.one_hot(k, 10).to(ScalarType.Float64);
        using var ground = earthmover.nn.functional.ground_emd_loss(z, k, distance, reduction: Reduction.None);
        using var fromIndices = earthmover.nn.functional.emd_loss(z, k, distance, reduction: Reduction.None);
        using var fromDistributions = earthmover.nn.functional.emd_loss(z, oneHot, distance, reduction: Reduction.None);
        Assert.Equal(Tensors.ToDoubles(ground), Tensors.ToDoubles(fromIndices), new ToleranceComparer(1e-12));
        Assert.Equal(Tensors.ToDoubles(ground), Tensors.ToDoubles(fromDistributions), new ToleranceComparer(1e-12));

        // The gradients agree too: through the softmax, the potential's free constant vanishes.
        var gradient = new List<double[]>();
        foreach (var loss in new Func<Tensor>[]
        {
            () => earthmover.nn.functional.ground_emd_loss(z, k, distance),
            () => earthmover.nn.functional.emd_loss(z, k, distance),
            () => earthmover.nn.functional.emd_loss(z, oneHot, distance),
        })
        {
            z.grad?.zero_();
            using var value = loss();
            value.backward();
            gradient.Add(Tensors.ToDoubles(z.grad!));
        }
        Assert.Equal(gradient[0], gradient[1], new ToleranceComparer(1e-12));
        Assert.Equal(gradient[0], gradient[2], new ToleranceComparer(1e-12));
    }

    [Fact]
    public void Equal_prediction_and_target_cost_nothing_and_have_zero_gradient()
    {
        var distance = GroundDistance.Evenly(5);
        using var p = torch.tensor(new[] { 0.1, 0.2, 0.3, 0.4, 0.0 }, 1, 5, dtype: ScalarType.Float64).requires_grad_();
        using var loss = earthmover.nn.functional.emd_loss(p, p.detach(), distance, EmdInput.Probabilities);
        loss.backward();
        Assert.Equal(0.0, loss.ToDouble());
        Assert.All(Tensors.ToDoubles(p.grad!), g => Assert.Equal(0.0, g));
    }

    [Fact]
    public void Module_and_factory_equal_the_function_with_sample_weights()
    {
        var c = TransportReference.Exact.Cases.First(x => x.Kind == "euclidean" && x.Classes == 20);
        var distance = GroundDistance.FromMatrix(Tensors.Array2D(c.Distance));
        using var z = Tensors.Matrix(c.Logits!);
        using var t = Tensors.Matrix(c.T);
        using var w = torch.tensor(new[] { 1.0, 0.0, 2.5, 0.5 }, dtype: ScalarType.Float64);
        using var module = earthmover.nn.EMDLoss(distance, reduction: Reduction.Mean);
        using var fromModule = module.forward(z, t, w);
        using var fromFunction = earthmover.nn.functional.emd_loss(z, t, Tensors.Matrix(c.Distance), sample_weight: w);
        double expected = (c.Emd[0] * 1 + c.Emd[2] * 2.5 + c.Emd[3] * 0.5) / 4;
        Assert.Equal(expected, fromModule.ToDouble(), 1e-10);
        Assert.Equal(expected, fromFunction.ToDouble(), 1e-10);
        using var sum = earthmover.nn.EMDLoss(distance, reduction: Reduction.Sum).call(z, t);
        Assert.Equal(c.Emd.Sum(), sum.ToDouble(), 1e-10);
    }

    [Fact]
    public void Other_element_types_go_through_the_cpu_solver_and_back()
    {
        var c = TransportReference.Exact.Cases.First(x => x.Kind == "line" && x.Classes == 10);
        var distance = GroundDistance.FromMatrix(Tensors.Array2D(c.Distance));
        using var z = Tensors.Matrix(c.Logits!, ScalarType.BFloat16, requiresGrad: true);
        using var t = Tensors.Matrix(c.T);
        using var loss = earthmover.nn.functional.emd_loss(z, t, distance);
        loss.backward();
        Assert.Equal(ScalarType.BFloat16, loss.dtype);
        Assert.Equal(ScalarType.BFloat16, z.grad!.dtype);
        Assert.Equal(c.Emd.Average(), loss.ToDouble(), 0.05 * c.Emd.Average());
    }

    [Fact]
    public void Triangle_inequality_decides_the_reduced_problem()
    {
        Assert.True(Emd.Solver(GroundDistance.Evenly(6)).IsQuasiMetric);
        Assert.False(Emd.Solver(GroundDistance.Evenly(6, p: 2)).IsQuasiMetric);
        // Asymmetric but satisfying the directed triangle inequality: moving right costs 1 a step, left 2.
        var d = new double[4, 4];
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                d[i, j] = j >= i ? j - i : 2 * (i - j);
            }
        }
        Assert.True(Emd.Solver(GroundDistance.FromMatrix(d)).IsQuasiMetric);
    }

    private static double[][] RandomDistance(Random random, int classes, int kind)
    {
        var d = new double[classes][];
        for (int i = 0; i < classes; i++)
        {
            d[i] = new double[classes];
            for (int j = 0; j < classes; j++)
            {
                d[i][j] = i == j ? 0 : kind switch
                {
                    0 => Math.Abs(i - j),
                    1 => random.Next(1, 4),
                    2 => (i - j) * (i - j),
                    3 => 1,
                    // Classes 0 and 1 coincide: zero distance between them, equal distances to the others.
                    _ => Math.Abs(Math.Max(i, 1) - Math.Max(j, 1)),
                };
            }
        }
        return d;
    }

    private static double[] RandomEighths(Random random, int classes)
    {
        var p = new double[classes];
        for (int k = 0; k < 8; k++)
        {
            p[random.Next(classes)] += 0.125;
        }
        return p;
    }

    private static double[] Gaussian(int classes, int centre, double sigma)
    {
        var t = Enumerable.Range(0, classes).Select(k => Math.Exp(-0.5 * Math.Pow((k - centre) / sigma, 2) * 40)).ToArray();
        double sum = t.Sum();
        return t.Select(v => v / sum).ToArray();
    }

    [Fact]
    public void The_pivot_cap_ends_a_solve_with_a_feasible_plan_instead_of_throwing()
    {
        var random = new Random(5);
        int capped = 0;
        for (int trial = 0; trial < 40; trial++)
        {
            const int classes = 9;
            var d = RandomDistance(random, classes, trial % 5);
            var p = RandomEighths(random, classes);
            var t = RandomEighths(random, classes);
            double optimum = new ExactTransport(classes, Flatten(d)).Solve(p, t, new double[classes], null);
            var plan = new List<(int From, int To, double Mass)>();
            var solver = new ExactTransport(classes, Flatten(d)) { PivotLimit = 1, Start = StartRule.MatrixMinimum };
            double value = solver.Solve(p, t, new double[classes], plan);
            var rows = new double[classes];
            var columns = new double[classes];
            foreach (var (from, to, mass) in plan)
            {
                rows[from] += mass;
                columns[to] += mass;
            }
            Assert.Equal(p, rows, new ToleranceComparer(1e-12));
            Assert.Equal(t, columns, new ToleranceComparer(1e-12));
            Assert.True(value >= optimum - 1e-12, $"a capped solve ({value}) cannot beat the optimum ({optimum})");
            capped += value > optimum + 1e-12 ? 1 : 0;
        }
        Assert.True(capped > 0, "no problem needed more than one pivot: the cap was not exercised");
    }

    private static double[] Flatten(double[][] d) => d.SelectMany(r => r).ToArray();
}
