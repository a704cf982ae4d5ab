using EarthMover.Kernels.Transport;
using EarthMover.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Tests;

/// <summary>
/// The row-by-row Sinkhorn iterations on the CPU against the same log-domain updates written here with libtorch's
/// logsumexp on whole tensors: the same potentials after a fixed number of iterations, at class counts that are and
/// are not whole vectors, with zero masses, one-hot targets and a regularisation small enough that the plain
/// (not log) iterations would underflow. (The CI runs these tests again with 128-bit and no vector instructions.)
/// </summary>
public class SinkhornRowsTests
{
    [Theory]
    [InlineData(3, 0.5, ScalarType.Float64)]
    [InlineData(8, 0.05, ScalarType.Float64)]
    [InlineData(13, 0.01, ScalarType.Float64)]
    [InlineData(37, 0.2, ScalarType.Float64)]
    [InlineData(13, 0.002, ScalarType.Float64)] // M below −300: the log domain only
    [InlineData(3, 0.5, ScalarType.Float32)]
    [InlineData(13, 0.05, ScalarType.Float32)]
    [InlineData(37, 0.2, ScalarType.Float32)]
    public void Fixed_iterations_equal_the_tensor_updates(int classes, double relativeEpsilon, ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        var generator = torch.manual_seed(classes);
        int rows = 11;
        var points = torch.randn(classes, 3, generator: generator, dtype: ScalarType.Float64);
        // Not symmetric, so that a transposed M would be caught.
        var d = torch.cdist(points, points) + torch.rand(classes, classes, generator: generator, dtype: ScalarType.Float64);
        d = d * (1 - torch.eye(classes, dtype: ScalarType.Float64));
        double epsilon = relativeEpsilon * d.max().ToDouble();
        var a = (torch.randn(rows, classes, generator: generator, dtype: ScalarType.Float64) * 2).softmax(1);
        a[0] = torch.zeros(classes, dtype: ScalarType.Float64);
        a[0, 0] = 0.25;
        a[0, classes - 1] = 0.75; // zero mass in every class between
        var b = torch.nn.functional.one_hot(torch.randint(0, classes, rows, generator: generator), classes).to(ScalarType.Float64);
        b[1] = (torch.randn(classes, generator: generator, dtype: ScalarType.Float64)).softmax(0); // one spread target
        var mr = d / -epsilon;

        var (u, v) = SinkhornRows.Iterate(a.to(dtype), b.to(dtype), mr.to(dtype), 40, 0, 10);
        var (expectedU, expectedV) = TensorUpdates(a, b, mr, 40);

        Assert.Equal(dtype, u.dtype);
        double tolerance = dtype == ScalarType.Float64 ? 1e-9 : 2e-3;
        AssertClose(expectedU, u, tolerance);
        AssertClose(expectedV, v, tolerance);
    }

    [Fact]
    public void The_scaling_domain_runs_only_where_it_is_exact_and_hands_other_rows_back()
    {
        using var scope = torch.NewDisposeScope();
        int classes = 9;
        var d = GroundDistance.Evenly(classes).CachedTensor(ScalarType.Float64, torch.CPU);
        // Below −Bound somewhere in M: no scaling form at all.
        Assert.Null(ScaledSinkhorn.For<double>(Tensors.ToDoubles((d / -0.02).flatten()), classes));
        var mr = d / -0.5;
        var scaled = ScaledSinkhorn.For<double>(Tensors.ToDoubles(mr.flatten()), classes)!;
        Assert.NotNull(scaled);
        var a = torch.full(3, classes, 1.0 / classes, dtype: ScalarType.Float64);
        var b = torch.nn.functional.one_hot(torch.tensor(new long[] { 0, 4, 8 }), classes).to(ScalarType.Float64);
        // Row 2: masses far below float64's normal range beside one class, and a spread target with tiny tails: their
        // potentials (about −690) must still be the log domain's.
        a[2] = torch.full(classes, 1e-300, dtype: ScalarType.Float64);
        a[2, 0] = 1 - (classes - 1) * 1e-300;
        b[2] = torch.tensor(Enumerable.Range(0, classes).Select(k => Math.Exp(-k * k * 9.0)).ToArray()) / Enumerable.Range(0, classes).Sum(k => Math.Exp(-k * k * 9.0));
        var (expectedU, expectedV) = TensorUpdates(a, b, mr, 25);
        var work = scaled.NewWork();
        var u = new double[classes];
        var v = new double[classes];
        for (int row = 0; row < 3; row++)
        {
            Assert.Equal(25, scaled.Solve<double>(work, Tensors.ToDoubles(a[row]), Tensors.ToDoubles(b[row]), u, v, 25, 0, 10));
            AssertClose(expectedU[row], torch.tensor(u), 1e-9);
            AssertClose(expectedV[row], torch.tensor(v), 1e-9);
        }
        Assert.True(v.Min() < -300, "the tiny target masses were not tested");
        // A row without mass makes a column sum 0 in the second iteration: handed back, and SinkhornRows then gives it
        // the log domain's potentials with the other rows.
        var none = new double[classes];
        Assert.Equal(-1, scaled.Solve<double>(work, none, Tensors.ToDoubles(b[0]), u, v, 25, 0, 10));
        a[1] = torch.zeros(classes, dtype: ScalarType.Float64);
        (expectedU, expectedV) = TensorUpdates(a, b, mr, 25);
        var (allU, allV) = SinkhornRows.Iterate(a, b, mr, 25, 0, 10);
        AssertClose(expectedU, allU, 1e-9);
        AssertClose(expectedV, allV, 1e-9);
    }

    [Fact]
    public void A_row_stops_once_its_marginals_are_within_the_tolerance()
    {
        using var scope = torch.NewDisposeScope();
        var d = GroundDistance.Evenly(6).CachedTensor(ScalarType.Float64, torch.CPU);
        var mr = d / -0.1;
        var a = torch.full(2, 6, 1.0 / 6, dtype: ScalarType.Float64);
        var b = torch.tensor(new[] { 0.1, 0.4, 0.3, 0.1, 0.05, 0.05, 0.0, 0.0, 0.2, 0.2, 0.2, 0.4 }, 2, 6, dtype: ScalarType.Float64);
        var (u, v) = SinkhornRows.Iterate(a, b, mr, 100_000, 1e-12, 10);
        // The column marginals Σ_i exp(M_ij + u_i + v_j) of the returned potentials are b within the tolerance.
        var columns = (mr.unsqueeze(0) + u.unsqueeze(2) + v.unsqueeze(1)).exp().sum(1);
        Assert.True((columns - b).square().sum(1).sqrt().max().ToDouble() < 1e-12);
        // The rows are not yet there after one iteration (so the check above is not met trivially).
        var (u1, v1) = SinkhornRows.Iterate(a, b, mr, 1, 0, 10);
        var early = (mr.unsqueeze(0) + u1.unsqueeze(2) + v1.unsqueeze(1)).exp().sum(1);
        Assert.True((early - b).square().sum(1).sqrt().max().ToDouble() > 1e-6);
    }

    // v = log b − LSE_i(M_ij + u_i), u = log a − LSE_j(M_ij + v_j), from u = v = 0, in float64 on whole tensors.
    private static (Tensor U, Tensor V) TensorUpdates(Tensor a, Tensor b, Tensor mr, int iterations)
    {
        var loga = a.log();
        var logb = b.log();
        var u = torch.zeros_like(a);
        var v = torch.zeros_like(b);
        var kernel = mr.unsqueeze(0);
        for (int i = 0; i < iterations; i++)
        {
            v = logb - torch.logsumexp(kernel + u.unsqueeze(2), 1);
            u = loga - torch.logsumexp(kernel + v.unsqueeze(1), 2);
        }
        return (u, v);
    }

    // Equal where finite (relative to the largest magnitude), −∞ and NaN (a row without mass) at the same places.
    private static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        var e = Tensors.ToDoubles(expected.flatten());
        var x = Tensors.ToDoubles(actual.to(ScalarType.Float64).flatten());
        double scale = e.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(1).Max();
        for (int i = 0; i < e.Length; i++)
        {
            if (double.IsNegativeInfinity(e[i]) || double.IsNaN(e[i]))
            {
                Assert.True(e[i].Equals(x[i]), $"entry {i}: {x[i]}, expected {e[i]}");
            }
            else
            {
                Assert.True(Math.Abs(e[i] - x[i]) <= tolerance * Math.Max(1, scale), $"entry {i}: {x[i]}, expected {e[i]}");
            }
        }
    }
}
