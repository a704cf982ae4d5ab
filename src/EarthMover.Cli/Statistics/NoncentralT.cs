namespace EarthMover.Cli.Statistics;

/// <summary>
/// The noncentral t distribution with ν &gt; 0 degrees of freedom and noncentrality δ: the law of (Z + δ) / √(V/ν),
/// Z ~ N(0, 1), V ~ χ²_ν independent; the paired t statistic has it under the alternative, δ = d √n. Its distribution
/// function is the twin series of Guenther (1978) in Lenth's algorithm AS 243 (1989), as R's <c>pnt</c> computes it:
/// for t ≥ 0, with x = t² / (t² + ν),
/// P(T ≤ t) = Φ(−δ) + Σ_{j≥0} [p_j I_x(j + 1/2, ν/2) + q_j I_x(j + 1, ν/2)] with Poisson weights
/// p_j = e^(−δ²/2) (δ²/2)^j / (2 j!) and q_j = δ e^(−δ²/2) (δ²/2)^j / (√2 Γ(j + 3/2)),
/// summed until the error bound falls below 1e-12; for t &lt; 0, P(T ≤ t; δ) = 1 − P(T ≤ −t; −δ).
/// Where the series' weights underflow (|δ| &gt; 37.62) it integrates P(T ≤ t) = E[Φ(t √(V/ν) − δ)] over V ~ χ²_ν
/// numerically instead, and for ν &gt; 4e5 it uses the normal approximation of Abramowitz and Stegun 26.7.10 (as R).
/// </summary>
internal static class NoncentralT
{
    private const double ErrorBound = 1e-12;
    private const int MaxIterations = 1000;
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>P(T ≤ t) (<c>scipy.stats.nct.cdf(t, ν, δ)</c>).</summary>
    /// <exception cref="ArgumentException">ν not positive, or t or δ not finite.</exception>
    public static double Cdf(double t, double degreesOfFreedom, double noncentrality)
    {
        if (!(degreesOfFreedom > 0) || double.IsInfinity(degreesOfFreedom))
        {
            throw new ArgumentException($"The noncentral t needs finite degrees of freedom > 0, not {degreesOfFreedom}.", nameof(degreesOfFreedom));
        }
        if (!double.IsFinite(noncentrality))
        {
            throw new ArgumentException($"The noncentrality must be finite, not {noncentrality}.", nameof(noncentrality));
        }
        if (double.IsNaN(t))
        {
            throw new ArgumentException("t is NaN.", nameof(t));
        }
        if (noncentrality == 0)
        {
            return StudentT.Cdf(t, degreesOfFreedom);
        }
        if (double.IsInfinity(t))
        {
            return t < 0 ? 0 : 1;
        }
        bool negative = t < 0;
        double tt = negative ? -t : t, delta = negative ? -noncentrality : noncentrality;
        double lower = LowerNonNegative(tt, degreesOfFreedom, delta);
        return Math.Clamp(negative ? 1 - lower : lower, 0, 1);
    }

    /// <summary>P(T &gt; t) = 1 − <see cref="Cdf"/> (<c>scipy.stats.nct.sf</c>).</summary>
    /// <exception cref="ArgumentException">As <see cref="Cdf"/>.</exception>
    public static double Survival(double t, double degreesOfFreedom, double noncentrality) => 1 - Cdf(t, degreesOfFreedom, noncentrality);

    // P(T <= t) = E[Φ(t S / √ν − δ)] with S = √V, V ~ χ²_ν: S has density s^(ν−1) e^(−s²/2) / (2^(ν/2−1) Γ(ν/2)),
    // concentrated within 12 of √ν (its standard deviation is below 0.71). 8-point Gauss-Legendre on 24 panels, each
    // halved until its two halves agree with it to 1e-15 (Φ's step can be narrow where t / √ν is large).
    private static double Integrated(double t, double df, double delta)
    {
        double center = Math.Sqrt(df), low = Math.Max(0, center - 12), high = center + 12;
        double logNormaliser = (df / 2 - 1) * Math.Log(2) + SpecialFunctions.LogGamma(df / 2);
        double Integrand(double s) => s <= 0 ? 0 : Math.Exp((df - 1) * Math.Log(s) - s * s / 2 - logNormaliser) * NormalDistribution.Cdf(t * s / center - delta);
        const int panels = 24;
        double width = (high - low) / panels, sum = 0;
        for (int panel = 0; panel < panels; panel++)
        {
            double a = low + panel * width;
            sum += Adaptive(Integrand, a, a + width, Gauss(Integrand, a, a + width), 0);
        }
        return Math.Clamp(sum, 0, 1);
    }

    private static double Adaptive(Func<double, double> f, double a, double b, double whole, int depth)
    {
        double middle = 0.5 * (a + b);
        double left = Gauss(f, a, middle), right = Gauss(f, middle, b);
        if (depth >= 30 || Math.Abs(left + right - whole) <= 1e-15)
        {
            return left + right;
        }
        return Adaptive(f, a, middle, left, depth + 1) + Adaptive(f, middle, b, right, depth + 1);
    }

    private static double Gauss(Func<double, double> f, double a, double b)
    {
        double middle = 0.5 * (a + b), half = 0.5 * (b - a), sum = 0;
        for (int i = 0; i < GaussNodes.Length; i++)
        {
            sum += GaussWeights[i] * (f(middle - half * GaussNodes[i]) + f(middle + half * GaussNodes[i]));
        }
        return sum * half;
    }

    // The positive nodes of 8-point Gauss-Legendre quadrature on [−1, 1], and their weights.
    private static readonly double[] GaussNodes = [0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363];
    private static readonly double[] GaussWeights = [0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763];

    // P(T <= t) for t >= 0 (AS 243).
    private static double LowerNonNegative(double t, double df, double delta)
    {
        if (df > 4e5)
        {
            // Abramowitz and Stegun 26.7.10, as AS 243 in R: nearly normal.
            double s4 = 1 / (4 * df);
            return NormalDistribution.Cdf((t * (1 - s4) - delta) / Math.Sqrt(1 + t * t * 2 * s4));
        }
        if (delta * delta > 2 * Math.Log(2) * 1021)
        {
            // The series' Poisson weights underflow (|δ| > 37.62).
            return Integrated(t, df, delta);
        }
        double tnc = 0;
        double x = t * t / (t * t + df);
        if (x > 0)
        {
            double lambda = delta * delta;
            double p = 0.5 * Math.Exp(-0.5 * lambda);
            double q = Math.Sqrt(2 / Math.PI) * p * delta;
            double s = 0.5 - p;
            if (s < 1e-7)
            {
                // s = −expm1(−λ/2) / 2, with λ < 4e-7 here: three terms of the series are exact in double precision.
                double h = -0.5 * lambda;
                s = -0.5 * (h + h * h / 2 + h * h * h / 6);
            }
            double a = 0.5, b = 0.5 * df;
            double rxb = Math.Pow(df / (t * t + df), b);
            double logBeta = 0.5 * Math.Log(Math.PI) + SpecialFunctions.LogGamma(b) - SpecialFunctions.LogGamma(0.5 + b);
            double xodd = SpecialFunctions.RegularizedBeta(x, a, b);
            double godd = 2 * rxb * Math.Exp(a * Math.Log(x) - logBeta);
            double bx = b * x;
            double xeven = bx < MachineEpsilon ? bx : 1 - rxb;
            double geven = bx * rxb;
            tnc = p * xodd + q * xeven;
            for (int it = 1; it <= MaxIterations; it++)
            {
                a += 1;
                xodd -= godd;
                xeven -= geven;
                godd *= x * (a + b - 1) / a;
                geven *= x * (a + b - 0.5) / (a + 0.5);
                p *= lambda / (2 * it);
                q *= lambda / (2 * it + 1);
                tnc += p * xodd + q * xeven;
                s -= p;
                if (s < -1e-10 || (s <= 0 && it > 1))
                {
                    break;
                }
                if (Math.Abs(2 * s * (xodd - godd)) < ErrorBound)
                {
                    break;
                }
            }
        }
        return Math.Min(tnc + NormalDistribution.Cdf(-delta), 1);
    }
}
