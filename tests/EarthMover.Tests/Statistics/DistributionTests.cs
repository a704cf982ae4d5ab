using EarthMover.Cli.Statistics;

namespace EarthMover.Tests.Statistics;

/// <summary>The special functions and distributions behind the meta-analysis and the power calculations, against SciPy.</summary>
public class DistributionTests
{
    [Fact]
    public void Special_functions_equal_scipy()
    {
        var s = MetaFile.Load().Special;
        foreach (var c in s.Gammaln)
        {
            Close.Assert(c.Value, SpecialFunctions.LogGamma(c.X), 1e-13, 1e-14, $"gammaln({c.X})");
        }
        foreach (var c in s.Betainc)
        {
            Close.Assert(c.Value, SpecialFunctions.RegularizedBeta(c.X, c.A, c.B), 1e-12, 1e-300, $"betainc({c.A}, {c.B}, {c.X})");
        }
        foreach (var c in s.Gammaincc)
        {
            Close.Assert(c.Value, SpecialFunctions.UpperRegularizedGamma(c.A, c.X), 1e-12, 1e-300, $"gammaincc({c.A}, {c.X})");
        }
        foreach (var c in s.Erfc)
        {
            Close.Assert(c.Value, SpecialFunctions.Erfc(c.X), 1e-13, 1e-300, $"erfc({c.X})");
        }
    }

    [Fact]
    public void Normal_and_t_distributions_equal_scipy()
    {
        var file = MetaFile.Load();
        foreach (var c in file.Normal.Cdf)
        {
            Close.Assert(c.Value, NormalDistribution.Cdf(c.X), 1e-13, 1e-300, $"norm.cdf({c.X})");
        }
        foreach (var c in file.Normal.Ppf)
        {
            Close.Assert(c.Value, NormalDistribution.Quantile(c.P), 1e-13, 1e-15, $"norm.ppf({c.P})");
        }
        foreach (var c in file.Student.Cdf)
        {
            Close.Assert(c.Value, StudentT.Cdf(c.T, c.Df), 1e-12, 1e-300, $"t.cdf({c.T}, {c.Df})");
            Close.Assert(1 - c.Value, StudentT.Survival(c.T, c.Df), 1e-12, 1e-15, $"t.sf({c.T}, {c.Df})");
        }
        // SciPy 1.10's t.ppf is good to about 1e-9 (2.3e-9 at 3 degrees of freedom, p = 1e-6); mpmath's 40-digit root is exact.
        foreach (var c in file.Student.Ppf)
        {
            Close.Assert(c.Value, StudentT.Quantile(c.P, c.Df), 1e-8, 1e-15, $"t.ppf({c.P}, {c.Df})");
            Close.Assert(c.Exact, StudentT.Quantile(c.P, c.Df), 1e-12, 1e-15, $"t.ppf({c.P}, {c.Df}), mpmath");
        }
        foreach (var c in file.Chi2)
        {
            Close.Assert(c.Value, ChiSquared.Survival(c.X, c.Df), 1e-12, 1e-300, $"chi2.sf({c.X}, {c.Df})");
        }
    }

    [Fact]
    public void T_quantiles_equal_the_closed_forms_at_one_and_two_degrees_of_freedom()
    {
        foreach (double p in new[] { 1e-6, 0.01, 0.025, 0.2, 0.5, 0.8, 0.975, 0.9995 })
        {
            // Cauchy: tan(pi (p - 1/2)) = -cot(pi p), written without the pole; two degrees of freedom: (2p - 1) / sqrt(2 p (1 - p)).
            double cauchy = p < 0.5 ? -1 / Math.Tan(Math.PI * p) : 1 / Math.Tan(Math.PI * (1 - p));
            Close.Assert(cauchy, StudentT.Quantile(p, 1), 1e-13, 1e-15, $"t.ppf({p}, 1)");
            Close.Assert((2 * p - 1) / Math.Sqrt(2 * p * (1 - p)), StudentT.Quantile(p, 2), 1e-13, 1e-15, $"t.ppf({p}, 2)");
        }
    }

    [Fact]
    public void Noncentral_t_equals_scipy()
    {
        foreach (var c in MetaFile.Load().Nct)
        {
            Close.Assert(c.Value, NoncentralT.Cdf(c.T, c.Df, c.Nc), 1e-9, 1e-11, $"nct.cdf({c.T}, {c.Df}, {c.Nc})");
        }
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => SpecialFunctions.LogGamma(0)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => SpecialFunctions.RegularizedBeta(1.5, 1, 1)).ParamName);
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => SpecialFunctions.RegularizedBeta(0.5, 0, 1)).ParamName);
        Assert.Equal("p", Assert.Throws<ArgumentException>(() => NormalDistribution.Quantile(1)).ParamName);
        Assert.Equal("p", Assert.Throws<ArgumentException>(() => StudentT.Quantile(double.NaN, 3)).ParamName);
        Assert.Equal("degreesOfFreedom", Assert.Throws<ArgumentException>(() => StudentT.Cdf(1, 0)).ParamName);
        Assert.Equal("degreesOfFreedom", Assert.Throws<ArgumentException>(() => ChiSquared.Survival(1, -1)).ParamName);
        Assert.Equal("noncentrality", Assert.Throws<ArgumentException>(() => NoncentralT.Cdf(1, 3, double.NaN)).ParamName);
        Assert.Equal("t", Assert.Throws<ArgumentException>(() => NoncentralT.Cdf(double.NaN, 3, 1)).ParamName);
    }
}
