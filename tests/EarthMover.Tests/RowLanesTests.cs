using EarthMover.Kernels.Rows;

namespace EarthMover.Tests;

/// <summary>The raw-row lanes' exponential and logarithm against <see cref="Math"/>, at every width this processor has.</summary>
public class RowLanesTests
{
    [Fact]
    public void Exp_is_within_two_ulp_on_its_domain_and_zero_below_minus_700()
    {
        CheckExp<LanesScalar>();
        if (RowVectors.Has256)
        {
            CheckExp<Lanes256>();
        }
        if (RowVectors.Has512)
        {
            CheckExp<Lanes512>();
        }
    }

    [Fact]
    public void Log_is_within_two_ulp_on_positive_normal_values()
    {
        CheckLog<LanesScalar>();
        if (RowVectors.Has256)
        {
            CheckLog<Lanes256>();
        }
        if (RowVectors.Has512)
        {
            CheckLog<Lanes512>();
        }
    }

    [Fact]
    public unsafe void Single_precision_exp_of_a_float32_row_is_within_two_float_ulp_and_zero_below_minus_87()
    {
        if (!SingleExp.IsSupported)
        {
            return;
        }
        var random = new Random(612);
        var row = new float[4099];
        for (int i = 0; i < row.Length; i++)
        {
            row[i] = i % 3 == 0 ? (float)(-100 * random.NextDouble()) : (float)(-10 * random.NextDouble());
        }
        row[0] = 0;
        row[1] = -87;
        row[2] = -87.5f;
        row[3] = -0.5f * MathF.Log(2);
        var e = new double[row.Length];
        double total;
        fixed (float* r = row)
        {
            total = SingleExp.Row(r, row.Length, 0, e);
            // A row of 13 (an overlapping last vector) gives the same entries; one of 5 (no vector) takes Math.Exp.
            var part = new double[13];
            Assert.Equal(e[..13].Sum(), SingleExp.Row(r, 13, 0, part), 1e-15);
            Assert.Equal(e[..13], part);
            Assert.Equal(row[..5].Sum(v => Math.Exp(v)), SingleExp.Row(r, 5, 0, part), 1e-15);
        }
        double expected = 0;
        for (int i = 0; i < row.Length; i++)
        {
            double exact = Math.Exp(row[i]);
            expected += e[i];
            Assert.True(row[i] < -87 ? e[i] == 0 : Math.Abs(e[i] - exact) <= 2.4e-7 * exact, $"SingleExp({row[i]:R}) = {e[i]:R}, Math gives {exact:R}");
        }
        Assert.True(Math.Abs(total - expected) <= 1e-13 * expected, $"SingleExp.Row sum {total:R}, the entries sum to {expected:R}");
    }

    internal static double[] ExpInputs()
    {
        var random = new Random(20261206);
        var xs = new double[4096];
        for (int i = 0; i < xs.Length; i++)
        {
            xs[i] = i % 2 == 0 ? -700 * random.NextDouble() : -5 * random.NextDouble();
        }
        xs[0] = 0;
        xs[1] = -700;
        xs[2] = -1e-300;
        xs[3] = -0.5 * Math.Log(2);
        return xs;
    }

    internal static double[] LogInputs()
    {
        var random = new Random(6122026);
        var xs = new double[4096];
        for (int i = 0; i < xs.Length; i++)
        {
            xs[i] = i % 2 == 0 ? Math.Exp(1400 * random.NextDouble() - 700) : 0.5 + 1.5 * random.NextDouble();
        }
        xs[0] = 1;
        xs[1] = double.Epsilon * (1L << 52); // the smallest normal
        xs[2] = double.MaxValue;
        xs[3] = Math.Sqrt(0.5);
        xs[4] = Math.Sqrt(2);
        xs[5] = 1 + 1e-15;
        return xs;
    }

    internal static double[] Apply<TL>(double[] xs, Func<TL, TL> f)
        where TL : struct, ILanes<TL>
    {
        var ys = new double[xs.Length];
        for (int i = 0; i < xs.Length; i += TL.Count)
        {
            f(TL.Load(ref xs[0], i)).Store(ref ys[0], i);
        }
        return ys;
    }

    private static void CheckExp<TL>()
        where TL : struct, ILanes<TL>
    {
        var xs = ExpInputs();
        var ys = Apply<TL>(xs, TL.Exp);
        for (int i = 0; i < xs.Length; i++)
        {
            AssertUlp(Math.Exp(xs[i]), ys[i], $"{typeof(TL).Name}.Exp({xs[i]:R})");
        }
        var below = Apply<TL>([-700.5, -701, -745, -1e4, -1e300, double.NegativeInfinity, -800, -7000], TL.Exp);
        if (typeof(TL) != typeof(LanesScalar))
        {
            Assert.All(below, y => Assert.Equal(0.0, y));
        }
    }

    private static void CheckLog<TL>()
        where TL : struct, ILanes<TL>
    {
        var xs = LogInputs();
        var ys = Apply<TL>(xs, TL.Log);
        for (int i = 0; i < xs.Length; i++)
        {
            AssertUlp(Math.Log(xs[i]), ys[i], $"{typeof(TL).Name}.Log({xs[i]:R})");
        }
    }

    private static void AssertUlp(double expected, double actual, string what)
    {
        long distance = Math.Abs(BitConverter.DoubleToInt64Bits(expected) - BitConverter.DoubleToInt64Bits(actual));
        bool close = expected == actual || (Math.Sign(expected) == Math.Sign(actual) && distance <= 2);
        Assert.True(close, $"{what}: {actual:R}, Math gives {expected:R} ({distance} ulp apart)");
    }
}
