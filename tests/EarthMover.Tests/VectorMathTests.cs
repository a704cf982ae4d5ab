using System.Runtime.Intrinsics;
using EarthMover.Kernels;

namespace EarthMover.Tests;

/// <summary>The fused kernels' vector helpers against scalar Math.</summary>
public class VectorMathTests
{
    [Fact]
    public void Single_exp_is_within_two_ulp_over_its_whole_range()
    {
        double worst = 0;
        for (double x = -87.3; x < 88.3; x += 0.00731)
        {
            float xf = (float)x;
            float got = VectorMath.Exp(Vector256.Create(xf))[3];
            double expected = Math.Exp(xf);
            worst = Math.Max(worst, Math.Abs(got - expected) / expected);
        }
        Assert.True(worst < 2.5e-7, $"worst relative error {worst:E3}");
        Assert.Equal(0f, VectorMath.Exp(Vector256.Create(-1e4f))[0]);
        Assert.Equal(1f, VectorMath.Exp(Vector256.Create(0f))[5]);
        Assert.True(float.IsNaN(VectorMath.Exp(Vector256.Create(float.NaN))[0]));
    }

    [Fact]
    public void Double_exp_is_accurate_to_a_few_ulp_over_its_whole_range()
    {
        double worst = 0;
        for (double x = -708; x < 709.7; x += 0.0371)
        {
            double got = VectorMath.Exp(Vector256.Create(x))[2];
            double expected = Math.Exp(x);
            worst = Math.Max(worst, Math.Abs(got - expected) / expected);
        }
        Assert.True(worst < 1e-15, $"worst relative error {worst:E3}");
        Assert.Equal(0.0, VectorMath.Exp(Vector256.Create(-1e4))[0]);
        Assert.True(double.IsNaN(VectorMath.Exp(Vector256.Create(double.NaN))[1]));
    }

    [Fact]
    public void Prefix_and_suffix_sums_and_broadcasts()
    {
        var f = Vector256.Create(1f, 2, 3, 4, 5, 6, 7, 8);
        Assert.Equal(Vector256.Create(1f, 3, 6, 10, 15, 21, 28, 36), VectorMath.PrefixSum(f));
        Assert.Equal(Vector256.Create(36f, 35, 33, 30, 26, 21, 15, 8), VectorMath.SuffixSum(f));
        Assert.Equal(Vector256.Create(8f), VectorMath.BroadcastLast(f));
        Assert.Equal(Vector256.Create(1f), VectorMath.BroadcastFirst(f));
        var d = Vector256.Create(1.0, 2, 3, 4);
        Assert.Equal(Vector256.Create(1.0, 3, 6, 10), VectorMath.PrefixSum(d));
        Assert.Equal(Vector256.Create(10.0, 9, 7, 4), VectorMath.SuffixSum(d));
        Assert.Equal(Vector256.Create(4.0), VectorMath.BroadcastLast(d));
        Assert.Equal(Vector256.Create(1.0), VectorMath.BroadcastFirst(d));
    }
}
