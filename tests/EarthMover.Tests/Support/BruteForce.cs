namespace EarthMover.Tests.Support;

/// <summary>The losses written out from their definitions in docs/math.md, one sample at a time, in plain loops.</summary>
internal static class BruteForce
{
    /// <summary>s · Σ_{m&lt;C-1} (x_{m+1} - x_m) |P_m - T_m|^l, optionally to the power 1/l.</summary>
    public static double Ordinal(double[] p, double[] t, double[] x, double l, double s, bool root)
    {
        double cp = 0, ct = 0, sum = 0;
        for (int m = 0; m < p.Length - 1; m++)
        {
            cp += p[m];
            ct += t[m];
            sum += (x[m + 1] - x[m]) * Math.Pow(Math.Abs(cp - ct), l);
        }
        sum *= s;
        return root ? Math.Pow(sum, 1 / l) : sum;
    }

    public static double[] OneHot(long k, int classes)
    {
        var t = new double[classes];
        t[k] = 1;
        return t;
    }
}
