using EarthMover.Cli.Statistics;

namespace EarthMover.Tests.Statistics;

/// <summary>Power and minimum detectable effects against statsmodels' TTestPower (reference/meta.py).</summary>
public class PowerTests
{
    [Fact]
    public void Paired_t_power_equals_statsmodels()
    {
        foreach (var c in MetaFile.Load().T_Power)
        {
            Close.Assert(c.Power, PairedTTestPower.Power(c.D, c.N, c.Alpha), 1e-9, 1e-11, $"power(d = {c.D}, n = {c.N}, alpha = {c.Alpha})");
        }
    }

    [Fact]
    public void Minimum_detectable_effect_sizes_equal_statsmodels_solve_power()
    {
        foreach (var c in MetaFile.Load().Mde)
        {
            double d = PairedTTestPower.MinimumDetectableEffectSize(c.N, c.Alpha, c.Power);
            // solve_power itself stops at xtol = 1e-5; refined, statsmodels' power function gives the root to full precision.
            Close.Assert(c.D, d, 0, 1e-5, $"MDE(n = {c.N}, alpha = {c.Alpha}, power = {c.Power})");
            Close.Assert(c.D_Refined, d, 1e-9, 0, $"refined MDE(n = {c.N}, alpha = {c.Alpha}, power = {c.Power})");
            // Brute force: the power at the solution is the target.
            Close.Assert(c.Power, PairedTTestPower.Power(d, c.N, c.Alpha), 0, 1e-10, "power at the MDE");
            Close.Assert(c.D_Refined * 0.013, PairedTTestPower.MinimumDetectableDifference(0.013, c.N, c.Alpha, c.Power), 1e-8, 0, "MDE in units");
        }
    }

    [Fact]
    public void Required_pairs_equal_statsmodels_solve_power()
    {
        foreach (var c in MetaFile.Load().Nobs)
        {
            double n = PairedTTestPower.RequiredPairs(c.D, c.Alpha, c.Power);
            Close.Assert(c.N, n, 0, 1e-5, $"n(d = {c.D}, alpha = {c.Alpha}, power = {c.Power})");
            // Power changes slowly with n (about 0.008 per pair at n = 51), so n is found less precisely than the power.
            Close.Assert(c.N_Refined, n, 1e-8, 0, $"refined n(d = {c.D}, alpha = {c.Alpha}, power = {c.Power})");
            int seeds = PairedTTestPower.SeedsNeeded(2.0, 2.0 * c.D, c.Alpha, c.Power);
            Assert.Equal((int)Math.Ceiling(c.N_Refined), seeds);
            Assert.True(PairedTTestPower.Power(c.D, seeds, c.Alpha) >= c.Power);
            Assert.True(seeds == 2 || PairedTTestPower.Power(c.D, seeds - 1, c.Alpha) < c.Power);
        }
    }

    [Fact]
    public void Pooled_minimum_detectable_effects_equal_the_t_quantile_formula()
    {
        foreach (var c in MetaFile.Load().Pooled)
        {
            Close.Assert(c.Mde, PooledPower.MinimumDetectableEffect(c.K, c.Se, c.Alpha, c.Power), 1e-8, 0, $"pooled MDE(k = {c.K}, SE = {c.Se})");
        }
    }

    [Fact]
    public void The_planned_pooled_standard_error_is_the_inverse_root_of_the_summed_weights()
    {
        double[] sd = [0.01, 0.02, 0.04];
        double expected = 1 / Math.Sqrt(sd.Sum(s => 1 / (s * s / 13 + 0.0001)));
        Assert.Equal(expected, PooledPower.StandardError(sd, 13, 0.0001), 15);
        // Without heterogeneity, k equal datasets shrink the error by sqrt(k).
        Assert.Equal(0.02 / Math.Sqrt(13) / Math.Sqrt(4), PooledPower.StandardError([0.02, 0.02, 0.02, 0.02], 13), 15);
    }

    [Fact]
    public void A_seed_plan_reports_each_datasets_mde_and_the_seeds_a_target_needs()
    {
        double[] sd = [0.01, 0.03, 0.0];
        var rows = SeedPowerPlan.For(sd, 13, targetDifference: 0.01);
        double d = PairedTTestPower.MinimumDetectableEffectSize(13);
        Assert.Equal(3, rows.Length);
        Assert.Equal(d * 0.01, rows[0].MinimumDetectableDifference, 15);
        Assert.Equal(d * 0.03, rows[1].MinimumDetectableDifference, 15);
        Assert.Equal(0, rows[2].MinimumDetectableDifference);
        Assert.Equal(PairedTTestPower.SeedsNeeded(0.01, 0.01), rows[0].SeedsForTarget);
        Assert.Equal(PairedTTestPower.SeedsNeeded(0.03, 0.01), rows[1].SeedsForTarget);
        Assert.Null(rows[2].SeedsForTarget);
        Assert.True(rows[1].SeedsForTarget > 13 && rows[0].SeedsForTarget < 13);
        Assert.All(SeedPowerPlan.For(sd, 13), r => Assert.Null(r.SeedsForTarget));
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        Assert.Equal("n", Assert.Throws<ArgumentException>(() => PairedTTestPower.Power(0.5, 1)).ParamName);
        Assert.Equal("effectSize", Assert.Throws<ArgumentException>(() => PairedTTestPower.Power(double.NaN, 5)).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentException>(() => PairedTTestPower.Power(0.5, 5, 0)).ParamName);
        Assert.Equal("power", Assert.Throws<ArgumentException>(() => PairedTTestPower.MinimumDetectableEffectSize(13, 0.05, 0.04)).ParamName);
        Assert.Equal("effectSize", Assert.Throws<ArgumentException>(() => PairedTTestPower.RequiredPairs(0)).ParamName);
        Assert.Equal("standardDeviation", Assert.Throws<ArgumentException>(() => PairedTTestPower.MinimumDetectableDifference(-1, 13)).ParamName);
        Assert.Equal("standardDeviation", Assert.Throws<ArgumentException>(() => PairedTTestPower.SeedsNeeded(0, 0.1)).ParamName);
        Assert.Equal("difference", Assert.Throws<ArgumentException>(() => PairedTTestPower.SeedsNeeded(0.1, 0)).ParamName);
        Assert.Equal("studies", Assert.Throws<ArgumentException>(() => PooledPower.MinimumDetectableEffect(1, 0.01)).ParamName);
        Assert.Equal("standardError", Assert.Throws<ArgumentException>(() => PooledPower.MinimumDetectableEffect(5, double.NaN)).ParamName);
        Assert.Equal("power", Assert.Throws<ArgumentException>(() => PooledPower.MinimumDetectableEffect(5, 0.01, power: 0.3)).ParamName);
        Assert.Equal("standardDeviations", Assert.Throws<ArgumentException>(() => PooledPower.StandardError([], 13)).ParamName);
        Assert.Equal("standardDeviations", Assert.Throws<ArgumentException>(() => PooledPower.StandardError([0.0], 13)).ParamName);
        Assert.Equal("seeds", Assert.Throws<ArgumentException>(() => PooledPower.StandardError([0.1], 1)).ParamName);
        Assert.Equal("tauSquared", Assert.Throws<ArgumentException>(() => PooledPower.StandardError([0.1], 13, -1)).ParamName);
        Assert.Equal("standardDeviations", Assert.Throws<ArgumentException>(() => SeedPowerPlan.For([double.NaN], 13)).ParamName);
        Assert.Equal("seeds", Assert.Throws<ArgumentException>(() => SeedPowerPlan.For([0.1], 1)).ParamName);
        Assert.Equal("targetDifference", Assert.Throws<ArgumentException>(() => SeedPowerPlan.For([0.1], 13, 0)).ParamName);
    }
}
