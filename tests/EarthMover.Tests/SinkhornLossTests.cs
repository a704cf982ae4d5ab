using EarthMover.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Tests;

/// <summary>The entropic EMD against POT's log-domain Sinkhorn, its limit, its gradients and its small-ε behaviour.</summary>
public class SinkhornLossTests
{
    public static TheoryData<int> ReferenceCases()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < TransportReference.Sinkhorn.Cases.Count; i++)
        {
            data.Add(i);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void Fixed_iterations_equal_pot_sinkhorn_log(int index)
    {
        var c = TransportReference.Sinkhorn.Cases[index];
        var d = GroundDistance.FromMatrix(Tensors.Array2D(c.Distance));
        using var z = Tensors.Matrix(c.Logits);
        using var t = Tensors.Matrix(c.T);
        double scale = c.Distance.Max(r => r.Max());
        foreach (var (quantity, key) in new[] { (SinkhornQuantity.Cost, "cost"), (SinkhornQuantity.Regularized, "regularized") })
        {
            using var each = earthmover.nn.functional.sinkhorn_loss(z, t, d, c.Epsilon, quantity, c.Fixed_Iterations, 0, reduction: Reduction.None);
            Assert.Equal(c.Fixed[key], Tensors.ToDoubles(each), new ToleranceComparer(1e-10 * scale));
        }
    }

    public static TheoryData<int> ConvergedCases()
    {
        var data = new TheoryData<int>();
        var cases = TransportReference.Sinkhorn.Cases;
        for (int i = 0; i < cases.Count; i++)
        {
            if (cases[i].Converged is not null)
            {
                data.Add(i);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ConvergedCases))]
    public void Converged_values_equal_pot(int index)
    {
        var c = TransportReference.Sinkhorn.Cases[index];
        var converged = c.Converged!;
        var d = GroundDistance.FromMatrix(Tensors.Array2D(c.Distance));
        using var z = Tensors.Matrix(c.Logits);
        using var t = Tensors.Matrix(c.T);
        double scale = c.Distance.Max(r => r.Max());
        Assert.Equal(converged["cost"], converged["sinkhorn2"], new ToleranceComparer(1e-12 * scale));
        foreach (var (quantity, key) in new[] { (SinkhornQuantity.Cost, "cost"), (SinkhornQuantity.Regularized, "regularized"), (SinkhornQuantity.Divergence, "divergence") })
        {
            using var each = earthmover.nn.functional.sinkhorn_loss(z, t, d, c.Epsilon, quantity, 100_000, 1e-12, reduction: Reduction.None);
            Assert.Equal(converged[key], Tensors.ToDoubles(each), new ToleranceComparer(1e-9 * scale));
        }
        using var z32 = Tensors.Matrix(c.Logits, ScalarType.Float32);
        using var t32 = Tensors.Matrix(c.T, ScalarType.Float32);
        using var mean32 = earthmover.nn.functional.sinkhorn_loss(z32, t32, d, c.Epsilon, SinkhornQuantity.Divergence, 100_000, 1e-6);
        Assert.Equal(ScalarType.Float32, mean32.dtype);
        Assert.Equal(converged["divergence"].Average(), mean32.ToDouble(), 1e-4 * scale);
    }

    [Theory]
    [InlineData(SinkhornQuantity.Cost)]
    [InlineData(SinkhornQuantity.Regularized)]
    [InlineData(SinkhornQuantity.Divergence)]
    public void Approaches_the_exact_emd_as_epsilon_falls(SinkhornQuantity quantity)
    {
        var c = TransportReference.Exact.Cases.First(x => x.Kind == "euclidean" && x.Classes == 10);
        var d = GroundDistance.FromMatrix(Tensors.Array2D(c.Distance));
        double scale = c.Distance.Max(r => r.Max());
        using var z = Tensors.Matrix(c.Logits!);
        using var t = Tensors.Matrix(c.T);
        double exact = c.Emd.Average();
        var errors = new List<double>();
        foreach (double relative in new[] { 1.0, 0.3, 0.1, 0.03, 0.01 })
        {
            using var value = earthmover.nn.functional.sinkhorn_loss(z, t, d, relative * scale, quantity, 20_000, 1e-10);
            errors.Add(Math.Abs(value.ToDouble() - exact));
        }
        for (int i = 1; i < errors.Count; i++)
        {
            Assert.True(errors[i] < errors[i - 1], $"errors {string.Join(", ", errors)} do not fall");
        }
        // The entropy term alone moves the regularized objective by up to ε (2 ln C + 1).
        double bound = 0.05 * exact + (quantity == SinkhornQuantity.Regularized ? 0.01 * scale * (2 * Math.Log(10) + 1) : 0);
        Assert.True(errors[^1] < bound, $"at ε = 0.01 max D the error is {errors[^1]} of {exact}");
    }

    [Theory]
    [InlineData(SinkhornQuantity.Cost)]
    [InlineData(SinkhornQuantity.Regularized)]
    [InlineData(SinkhornQuantity.Divergence)]
    public void No_nan_at_small_epsilon_even_unconverged(SinkhornQuantity quantity)
    {
        var c = TransportReference.Exact.Cases.First(x => x.Kind == "line" && x.Classes == 20);
        var d = GroundDistance.FromMatrix(Tensors.Array2D(c.Distance));
        double epsilon = 1e-4 * c.Distance.Max(r => r.Max());
        using var t = Tensors.Matrix(c.T);
        using var hard = torch.tensor(new long[] { 0, 19, 7, 7 });
        foreach (var dtype in new[] { ScalarType.Float64, ScalarType.Float32 })
        {
            using var z = (Tensors.Matrix(c.Logits!, dtype) * 20).detach().requires_grad_();
            using var soft = earthmover.nn.functional.sinkhorn_loss(z, t, d, epsilon, quantity, 200, reduction: Reduction.None);
            using var oneHot = earthmover.nn.functional.sinkhorn_loss(z, hard, d, epsilon, quantity, 200, reduction: Reduction.None);
            (soft.sum() + oneHot.sum()).backward();
            Assert.True(torch.isfinite(soft).all().ToBoolean() && torch.isfinite(oneHot).all().ToBoolean(), $"{quantity} {dtype}: non-finite loss");
            Assert.True(torch.isfinite(z.grad!).all().ToBoolean(), $"{quantity} {dtype}: non-finite gradient");
        }
        // Probabilities with exact zeros.
        using var p = torch.tensor(new[] { 0.5, 0.5, 0, 0, 0, 0.25, 0.75, 0 }, 2, 4, dtype: ScalarType.Float64).requires_grad_();
        using var target = torch.tensor(new[] { 0, 0, 0.5, 0.5, 1.0, 0, 0, 0 }, 2, 4, dtype: ScalarType.Float64);
        using var loss = earthmover.nn.functional.sinkhorn_loss(p, target, GroundDistance.Evenly(4), 1e-4, quantity, 200, input_type: EmdInput.Probabilities);
        loss.backward();
        Assert.True(double.IsFinite(loss.ToDouble()));
        Assert.True(torch.isfinite(p.grad!).all().ToBoolean());
    }

    [Theory]
    [InlineData(SinkhornQuantity.Cost)]
    [InlineData(SinkhornQuantity.Regularized)]
    [InlineData(SinkhornQuantity.Divergence)]
    public void Gradient_matches_finite_differences_at_convergence(SinkhornQuantity quantity)
    {
        var c = TransportReference.Sinkhorn.Cases.First(x => x.Classes == 5 && x.Kind == "euclidean");
        var d = GroundDistance.FromMatrix(Tensors.Array2D(c.Distance));
        double epsilon = 0.5 * c.Distance.Max(r => r.Max());
        using var z = Tensors.Matrix(c.Logits);
        using var t = Tensors.Matrix(c.T);
        using var w = torch.tensor(new[] { 0.5, 2, 0, 1.5 }, dtype: ScalarType.Float64);
        FiniteDifferences.AssertGradient(x => earthmover.nn.functional.sinkhorn_loss(x, t, d, epsilon, quantity, 100_000, 1e-13), z, tolerance: 1e-5);
        FiniteDifferences.AssertGradient(x => earthmover.nn.functional.sinkhorn_loss(x, t, d, epsilon, quantity, 100_000, 1e-13, sample_weight: w, reduction: Reduction.None), z, tolerance: 1e-5);
        using var p = z.softmax(1);
        FiniteDifferences.AssertGradient(x => earthmover.nn.functional.sinkhorn_loss(x, t, d, epsilon, quantity, 100_000, 1e-13, EmdInput.Probabilities, reduction: Reduction.Sum), p, tolerance: 1e-5, centreRows: true);
    }

    [Fact]
    public void Divergence_is_zero_at_the_target_and_positive_elsewhere()
    {
        var d = GroundDistance.Evenly(6);
        using var t = torch.tensor(new[] { 0.1, 0.2, 0.4, 0.2, 0.1, 0.0 }, 1, 6, dtype: ScalarType.Float64);
        using var same = earthmover.nn.functional.sinkhorn_loss(t, t, d, 0.5, SinkhornQuantity.Divergence, input_type: EmdInput.Probabilities);
        Assert.Equal(0.0, same.ToDouble(), 1e-10);
        using var other = torch.tensor(new[] { 0.0, 0.1, 0.2, 0.4, 0.2, 0.1 }, 1, 6, dtype: ScalarType.Float64);
        using var moved = earthmover.nn.functional.sinkhorn_loss(other, t, d, 0.5, SinkhornQuantity.Divergence, input_type: EmdInput.Probabilities);
        Assert.True(moved.ToDouble() > 0.1);
        // The cost and the regularized objective are not 0 at the target: that is what the divergence removes.
        using var cost = earthmover.nn.functional.sinkhorn_loss(t, t, d, 0.5, input_type: EmdInput.Probabilities);
        Assert.True(cost.ToDouble() > 0.1);
    }

    [Fact]
    public void Module_and_factory_equal_the_function_and_check_options()
    {
        var c = TransportReference.Sinkhorn.Cases.First(x => x.Converged is not null);
        var d = GroundDistance.FromMatrix(Tensors.Array2D(c.Distance));
        using var z = Tensors.Matrix(c.Logits);
        using var t = Tensors.Matrix(c.T);
        using var module = earthmover.nn.SinkhornLoss(d, c.Epsilon, SinkhornQuantity.Regularized, 100_000, 1e-12, reduction: Reduction.Sum);
        using var fromModule = module.call(z, t);
        using var fromFunction = earthmover.nn.functional.sinkhorn_loss(z, t, Tensors.Matrix(c.Distance), c.Epsilon, SinkhornQuantity.Regularized, 100_000, 1e-12, reduction: Reduction.Sum);
        Assert.Equal(c.Converged!["regularized"].Sum(), fromModule.ToDouble(), 1e-8);
        Assert.Equal(fromModule.ToDouble(), fromFunction.ToDouble(), 1e-12);

        static void Throws(string parameter, Action action) => Assert.Equal(parameter, Assert.ThrowsAny<ArgumentException>(action).ParamName);
        Throws("epsilon", () => earthmover.nn.SinkhornLoss(d, 0));
        Throws("epsilon", () => earthmover.nn.SinkhornLoss(d, double.NaN));
        Throws("epsilon", () => earthmover.nn.functional.sinkhorn_loss(z, t, d, -1));
        Throws("max_iter", () => earthmover.nn.SinkhornLoss(d, 1, max_iter: 0));
        Throws("tol", () => earthmover.nn.functional.sinkhorn_loss(z, t, d, 1, tol: -1));
        Throws("quantity", () => earthmover.nn.functional.sinkhorn_loss(z, t, d, 1, (SinkhornQuantity)7));
        Throws("target", () => earthmover.nn.functional.sinkhorn_loss(z, t * 2, d, 1));
        Throws("distance", () => earthmover.nn.functional.sinkhorn_loss(z, t, GroundDistance.Evenly(c.Classes + 1), 1));
    }
}
