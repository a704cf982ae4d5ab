using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EarthMover.Kernels;

namespace EarthMover.Tests;

/// <summary>The fused kernels' vector helpers against scalar Math.</summary>
public class VectorMathTests
{
    [Fact]
    public void Single_exp_is_within_two_ulp_down_to_e_to_the_minus_40()
    {
        double worst = 0;
        for (double x = -40; x <= 0; x += 0.00131)
        {
            float xf = (float)x;
            float got = VectorMath.Exp(Vector256.Create(xf))[3];
            double expected = Math.Exp(xf);
            worst = Math.Max(worst, Math.Abs(got - expected) / expected);
        }
        Assert.True(worst < 2.5e-7, $"worst relative error {worst:E3}");
        Assert.Equal(1f, VectorMath.Exp(Vector256.Create(0f))[5]);
        // Below e^-40: exactly 0, so that no gradient product becomes subnormal.
        Assert.Equal(0f, VectorMath.Exp(Vector256.Create(-40.01f))[0]);
        Assert.Equal(0f, VectorMath.Exp(Vector256.Create(-1e4f))[0]);
        Assert.True(VectorMath.Exp(Vector256.Create(-39.99f))[0] > 0);
    }

    [Fact]
    public void Double_exp_is_accurate_to_a_few_ulp_on_the_softmax_range()
    {
        double worst = 0;
        for (double x = -600; x <= 0; x += 0.0371)
        {
            double got = VectorMath.Exp(Vector256.Create(x))[2];
            double expected = Math.Exp(x);
            worst = Math.Max(worst, Math.Abs(got - expected) / expected);
        }
        Assert.True(worst < 1e-15, $"worst relative error {worst:E3}");
        Assert.Equal(1.0, VectorMath.Exp(Vector256.Create(0.0))[1]);
        Assert.Equal(0.0, VectorMath.Exp(Vector256.Create(-600.01))[0]);
        Assert.Equal(0.0, VectorMath.Exp(Vector256.Create(-1e4))[0]);
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
    public unsafe void In_then_out_moves_every_element_to_its_place(int classes)
    {
        Check<float>(classes);
        Check<double>(classes);
    }

    private static unsafe void Check<T>(int classes)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int lanes = Vector256<T>.Count;
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
        var tile = new Vector256<T>[classes];
        TileTranspose.In((T**)pointers, classes, tile);
        for (int m = 0; m < classes; m++)
        {
            for (int r = 0; r < lanes; r++)
            {
                Assert.Equal(T.CreateChecked(r * 1000 + m), tile[m][r]);
            }
        }
        for (int m = 0; m < classes; m++)
        {
            tile[m] = -tile[m];
        }
        TileTranspose.Out<T>(tile, (T**)pointers, classes);
        for (int r = 0; r < lanes; r++)
        {
            for (int m = 0; m < classes; m++)
            {
                Assert.Equal(-T.CreateChecked(r * 1000 + m), rows[r][m]);
            }
        }
    }
}
