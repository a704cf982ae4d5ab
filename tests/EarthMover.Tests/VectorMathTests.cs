using System.Runtime.CompilerServices;
using EarthMover.Kernels;

namespace EarthMover.Tests;

/// <summary>The fused kernels' vector helpers against scalar Math, at every vector width.</summary>
public class VectorMathTests
{
    [Fact]
    public void Single_exp_is_within_two_ulp_down_to_e_to_the_minus_40()
    {
        CheckSingle<SimdScalar<float>>();
        CheckSingle<Simd128x2<float>>();
        CheckSingle<Simd256<float>>();
    }

    [Fact]
    public void Single_lane_log_is_within_two_ulp_over_the_normal_range()
    {
        if (!EarthMover.Kernels.Rows.SingleExp.IsSupported)
        {
            return; // No AVX2 (the CI's run with DOTNET_EnableAVX=0): nothing calls it then.
        }
        var values = new List<float>();
        for (double x = 0.5; x <= 2; x += 1.7e-5)
        {
            values.Add((float)x);
        }
        for (double t = -125.9; t <= 127.9; t += 0.0137)
        {
            values.Add((float)Math.Pow(2, t));
        }
        double worst = 0;
        for (int i = 0; i + 8 <= values.Count; i += 8)
        {
            var got = EarthMover.Kernels.Rows.SingleLog.Log(System.Runtime.Intrinsics.Vector256.Create(values.ToArray(), i));
            for (int lane = 0; lane < 8; lane++)
            {
                double expected = Math.Log(values[i + lane]);
                // Relative error, measured against one ulp of the result (or of 1e-7 near x = 1, where log x → 0).
                double ulp = Math.Max(Math.Abs(expected), 1e-7) * 5.96e-8;
                worst = Math.Max(worst, Math.Abs(got[lane] - expected) / ulp);
            }
        }
        Assert.True(worst <= 2, $"worst error {worst:F2} ulp");
    }

    [Fact]
    public void Double_exp_is_accurate_to_a_few_ulp_on_the_softmax_range()
    {
        CheckDouble<SimdScalar<double>>();
        CheckDouble<Simd128x2<double>>();
        CheckDouble<Simd256<double>>();
    }

    private static void CheckSingle<TV>()
        where TV : unmanaged, ISimd<TV, float>
    {
        double worst = 0;
        for (double x = -40; x <= 0; x += 0.00131)
        {
            float xf = (float)x;
            float got = Exp<float, TV>(xf);
            double expected = Math.Exp(xf);
            worst = Math.Max(worst, Math.Abs(got - expected) / expected);
        }
        Assert.True(worst < 2.5e-7, $"{typeof(TV).Name}: worst relative error {worst:E3}");
        Assert.Equal(1f, Exp<float, TV>(0f));
        // Below e^-40: exactly 0, so that no gradient product becomes subnormal.
        Assert.Equal(0f, Exp<float, TV>(-40.01f));
        Assert.Equal(0f, Exp<float, TV>(-1e4f));
        Assert.True(Exp<float, TV>(-39.99f) > 0);
    }

    private static void CheckDouble<TV>()
        where TV : unmanaged, ISimd<TV, double>
    {
        double worst = 0;
        for (double x = -600; x <= 0; x += 0.0371)
        {
            double got = Exp<double, TV>(x);
            double expected = Math.Exp(x);
            worst = Math.Max(worst, Math.Abs(got - expected) / expected);
        }
        Assert.True(worst < 1e-15, $"{typeof(TV).Name}: worst relative error {worst:E3}");
        Assert.Equal(1.0, Exp<double, TV>(0.0));
        Assert.Equal(0.0, Exp<double, TV>(-600.01));
        Assert.Equal(0.0, Exp<double, TV>(-1e4));
    }

    // Every lane must agree: the value is read from the last lane of a vector filled with x.
    private static T Exp<T, TV>(T x)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        where TV : unmanaged, ISimd<TV, T>
    {
        var result = VectorMath<T, TV>.Exp(TV.Create(x));
        for (int lane = 1; lane < TV.Count; lane++)
        {
            Assert.Equal(result[0], result[lane]);
        }
        return result[TV.Count - 1];
    }
}

/// <summary>The tile transposes against element-by-element copies.</summary>
public class TileTransposeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(64)]
    [InlineData(70)]
    public void In_then_out_moves_every_element_to_its_place(int classes)
    {
        Check<float, SimdScalar<float>>(classes);
        Check<double, SimdScalar<double>>(classes);
        Check<float, Simd128x2<float>>(classes);
        Check<double, Simd128x2<double>>(classes);
        Check<float, Simd256<float>>(classes);
        Check<double, Simd256<double>>(classes);
    }

    private static unsafe void Check<T, TV>(int classes)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        where TV : unmanaged, ISimd<TV, T>
    {
        int lanes = TV.Count;
        var rows = Enumerable.Range(0, lanes).Select(r => GC.AllocateArray<T>(classes, pinned: true)).ToArray();
        for (int r = 0; r < lanes; r++)
        {
            for (int m = 0; m < classes; m++)
            {
                rows[r][m] = T.CreateChecked(r * 1000 + m);
            }
        }
        var pointers = stackalloc nint[lanes];
        for (int r = 0; r < lanes; r++)
        {
            pointers[r] = (nint)Unsafe.AsPointer(ref rows[r][0]);
        }
        var tile = new TV[classes];
        TileTranspose<T, TV>.In((T**)pointers, classes, tile, out var max, out var total);
        for (int m = 0; m < classes; m++)
        {
            for (int r = 0; r < lanes; r++)
            {
                Assert.Equal(T.CreateChecked(r * 1000 + m), tile[m][r]);
            }
        }
        for (int r = 0; r < lanes; r++)
        {
            Assert.Equal(T.CreateChecked(r * 1000 + classes - 1), max[r]);
            Assert.Equal(T.CreateChecked((r * 1000 * classes) + (classes * (classes - 1) / 2)), total[r]);
        }
        for (int m = 0; m < classes; m++)
        {
            tile[m] = -tile[m];
        }
        TileTranspose<T, TV>.Out(tile, (T**)pointers, classes);
        for (int r = 0; r < lanes; r++)
        {
            for (int m = 0; m < classes; m++)
            {
                Assert.Equal(-T.CreateChecked(r * 1000 + m), rows[r][m]);
            }
        }
    }
}
