using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Tests.Support;

/// <summary>Autograd's gradient against float64 central finite differences of the loss's own value.</summary>
internal static class FiniteDifferences
{
    /// <summary>
    /// Compares the gradient of sum(loss · u), u random, with central differences. With <paramref name="centreRows"/>
    /// both are compared after removing each row's mean: for losses defined on the simplex only the part of the
    /// gradient along it is determined.
    /// </summary>
    public static void AssertGradient(Func<Tensor, Tensor> loss, Tensor input, double step = 1e-6, double tolerance = 1e-6, bool centreRows = false)
    {
        using var scope = torch.NewDisposeScope();
        var x = input.detach().clone().requires_grad_();
        var value = loss(x);
        var u = torch.rand(value.shape, dtype: ScalarType.Float64, generator: torch.manual_seed(3)) + 0.5;
        (value * u).sum().backward();
        var analytic = Tensors.ToDoubles(x.grad!);

        var point = Tensors.ToDoubles(input);
        var numeric = new double[point.Length];
        using (torch.no_grad())
        {
            for (int i = 0; i < point.Length; i++)
            {
                numeric[i] = (Evaluate(point, i, step) - Evaluate(point, i, -step)) / (2 * step);
            }
        }
        if (centreRows)
        {
            int columns = (int)input.size(1);
            Centre(analytic, columns);
            Centre(numeric, columns);
        }
        double difference = Math.Sqrt(numeric.Zip(analytic, (a, b) => (a - b) * (a - b)).Sum());
        double size = Math.Sqrt(numeric.Sum(a => a * a));
        Assert.True(size > 1e-8, "the gradient is too small to compare");
        Assert.True(difference / size < tolerance, $"relative error {difference / size:E3}; analytic [{string.Join(", ", analytic.Take(6))}] numeric [{string.Join(", ", numeric.Take(6))}]");

        double Evaluate(double[] at, int index, double h)
        {
            var moved = (double[])at.Clone();
            moved[index] += h;
            using var t = torch.tensor(moved, input.shape, dtype: ScalarType.Float64);
            using var v = loss(t);
            return (v * u).sum().ToDouble();
        }
    }

    private static void Centre(double[] values, int columns)
    {
        for (int start = 0; start < values.Length; start += columns)
        {
            double mean = values.AsSpan(start, columns).ToArray().Average();
            for (int j = start; j < start + columns; j++)
            {
                values[j] -= mean;
            }
        }
    }
}
