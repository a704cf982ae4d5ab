namespace EarthMover.Cli.Statistics;

/// <summary>The standard normal distribution: Φ(x) = erfc(−x / √2) / 2 and its inverse.</summary>
internal static class NormalDistribution
{
    /// <summary>Φ(x) = P(Z ≤ x) for Z ~ N(0, 1) (<c>scipy.stats.norm.cdf</c>).</summary>
    /// <exception cref="ArgumentException">x is NaN.</exception>
    public static double Cdf(double x) => 0.5 * SpecialFunctions.Erfc(-x / Math.Sqrt(2));

    /// <summary>
    /// Φ⁻¹(p) (<c>scipy.stats.norm.ppf</c>): Acklam's rational approximation (relative error 1.15e-9), refined by one
    /// Halley step on Φ; computed in the lower tail and mirrored, so that tail quantiles keep their precision.
    /// </summary>
    /// <exception cref="ArgumentException">p outside (0, 1).</exception>
    public static double Quantile(double p)
    {
        if (!(p > 0 && p < 1))
        {
            throw new ArgumentException($"A quantile needs p in (0, 1), not {p}.", nameof(p));
        }
        if (p > 0.5)
        {
            return -Quantile(1 - p);
        }
        double x;
        if (p < 0.02425)
        {
            double q = Math.Sqrt(-2 * Math.Log(p));
            x = (((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00)
                / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q + 3.754408661907416e+00) * q + 1);
        }
        else
        {
            double q = p - 0.5, r = q * q;
            x = (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r + 1.383577518672690e+02) * r - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q
                / (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r + 6.680131188771972e+01) * r - 1.328068155288572e+01) * r + 1);
        }
        double e = Cdf(x) - p;
        double u = e * Math.Sqrt(2 * Math.PI) * Math.Exp(x * x / 2);
        return x - u / (1 + x * u / 2);
    }
}
