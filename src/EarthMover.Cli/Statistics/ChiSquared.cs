namespace EarthMover.Cli.Statistics;

/// <summary>The chi-squared distribution with ν &gt; 0 degrees of freedom: P(X &gt; x) = Q(ν/2, x/2).</summary>
internal static class ChiSquared
{
    /// <summary>P(X &gt; x) (<c>scipy.stats.chi2.sf</c>): the p-value of Cochran's Q with ν = k − 1.</summary>
    /// <exception cref="ArgumentException">ν not positive, or x NaN.</exception>
    public static double Survival(double x, double degreesOfFreedom)
    {
        if (!(degreesOfFreedom > 0) || double.IsInfinity(degreesOfFreedom))
        {
            throw new ArgumentException($"Chi-squared needs finite degrees of freedom > 0, not {degreesOfFreedom}.", nameof(degreesOfFreedom));
        }
        if (double.IsNaN(x))
        {
            throw new ArgumentException("x is NaN.", nameof(x));
        }
        return x <= 0 ? 1 : SpecialFunctions.UpperRegularizedGamma(degreesOfFreedom / 2, x / 2);
    }
}
