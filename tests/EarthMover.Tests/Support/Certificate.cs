namespace EarthMover.Tests.Support;

/// <summary>Optimality checks for transport potentials that do not trust the solver.</summary>
internal static class Certificate
{
    /// <summary>
    /// Σ f p + Σ g t with g_j = min_i (D_ij - f_i), the best partner of f: (f, g) is dual feasible by
    /// construction, so this is a lower bound on the EMD, reached exactly when f is an optimal potential.
    /// </summary>
    public static double DualObjective(double[][] d, double[] f, double[] p, double[] t)
    {
        int c = f.Length;
        double sp = p.Sum(), st = t.Sum();
        double value = 0;
        for (int i = 0; i < c; i++)
        {
            value += f[i] * p[i] / sp;
        }
        for (int j = 0; j < c; j++)
        {
            double g = double.PositiveInfinity;
            for (int i = 0; i < c; i++)
            {
                g = Math.Min(g, d[i][j] - f[i]);
            }
            value += g * t[j] / st;
        }
        return value;
    }
}
