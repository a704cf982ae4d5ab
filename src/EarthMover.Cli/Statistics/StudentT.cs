namespace EarthMover.Cli.Statistics;

/// <summary>
/// Student's t distribution with ν &gt; 0 degrees of freedom (any real ν): P(T &gt; t) = I_x(ν/2, 1/2) / 2 for t ≥ 0,
/// x = ν / (ν + t²), and its inverse by bisection on that tail.
/// </summary>
internal static class StudentT
{
    /// <summary>P(T ≤ t) (<c>scipy.stats.t.cdf</c>).</summary>
    /// <exception cref="ArgumentException">t is NaN or ν not positive.</exception>
    public static double Cdf(double t, double degreesOfFreedom)
    {
        Check(degreesOfFreedom);
        if (double.IsNaN(t))
        {
            throw new ArgumentException("t is NaN.", nameof(t));
        }
        double tail = UpperTail(Math.Abs(t), degreesOfFreedom);
        return t >= 0 ? 1 - tail : tail;
    }

    /// <summary>P(T &gt; t) = 1 − <see cref="Cdf"/> (<c>scipy.stats.t.sf</c>).</summary>
    /// <exception cref="ArgumentException">t is NaN or ν not positive.</exception>
    public static double Survival(double t, double degreesOfFreedom) => Cdf(-t, degreesOfFreedom);

    /// <summary>The p-quantile t_{ν, p}, P(T ≤ t_{ν, p}) = p (<c>scipy.stats.t.ppf</c>).</summary>
    /// <exception cref="ArgumentException">p outside (0, 1) or ν not positive.</exception>
    public static double Quantile(double p, double degreesOfFreedom)
    {
        Check(degreesOfFreedom);
        if (!(p > 0 && p < 1))
        {
            throw new ArgumentException($"A quantile needs p in (0, 1), not {p}.", nameof(p));
        }
        if (p == 0.5)
        {
            return 0;
        }
        // Solve P(T > t) = tail for t > 0 in the tail beyond the quantile, where the tail keeps its relative precision.
        double tail = Math.Min(p, 1 - p);
        double low = 0, high = 1;
        while (UpperTail(high, degreesOfFreedom) > tail)
        {
            low = high;
            high *= 2;
        }
        for (int i = 0; i < 2000; i++)
        {
            double middle = 0.5 * (low + high);
            if (middle <= low || middle >= high)
            {
                break;
            }
            if (UpperTail(middle, degreesOfFreedom) > tail)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }
        double t = 0.5 * (low + high);
        return p < 0.5 ? -t : t;
    }

    // P(T > t) for t >= 0.
    private static double UpperTail(double t, double degreesOfFreedom)
    {
        if (double.IsPositiveInfinity(t))
        {
            return 0;
        }
        return 0.5 * SpecialFunctions.RegularizedBeta(degreesOfFreedom / (degreesOfFreedom + t * t), degreesOfFreedom / 2, 0.5);
    }

    private static void Check(double degreesOfFreedom)
    {
        if (!(degreesOfFreedom > 0) || double.IsInfinity(degreesOfFreedom))
        {
            throw new ArgumentException($"Student's t needs finite degrees of freedom > 0, not {degreesOfFreedom}.", nameof(degreesOfFreedom));
        }
    }
}
