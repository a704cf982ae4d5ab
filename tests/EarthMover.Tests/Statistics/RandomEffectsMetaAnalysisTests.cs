using EarthMover.Cli.Statistics;

namespace EarthMover.Tests.Statistics;

/// <summary>The random-effects meta-analysis against statsmodels' combine_effects (reference/meta.py), and its edge cases.</summary>
public class RandomEffectsMetaAnalysisTests
{
    public static TheoryData<int> Cases() => new(Enumerable.Range(0, MetaFile.Load().Meta.Count));

    private static readonly (string Key, TauSquaredEstimator Estimator)[] Estimators =
        [("pm", TauSquaredEstimator.PauleMandel), ("dl", TauSquaredEstimator.DerSimonianLaird)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Equals_statsmodels_for_each_estimator_and_interval(int index)
    {
        var c = MetaFile.Load().Meta[index];
        int k = c.Y.Length;
        foreach (var (key, estimator) in Estimators)
        {
            var expected = c.Methods[key];
            foreach (var (interval, reference) in new[]
            {
                (PooledIntervalMethod.Wald, expected.Wald),
                (PooledIntervalMethod.Hksj, expected.Hksj),
                (PooledIntervalMethod.HksjModified, expected.Hksj_Modified),
            })
            {
                string what = $"{c.Name}, {key}, {interval}";
                var r = RandomEffectsMetaAnalysis.Analyze(c.Y, c.Se, estimator, interval, c.Confidence);
                Assert.Equal(k, r.Studies);
                Close.Assert(expected.Tau2, r.TauSquared, 1e-9, 1e-18, $"{what}: tau^2");
                Close.Assert(expected.Estimate, r.Estimate, 1e-10, 1e-14, $"{what}: estimate");
                Close.Assert(expected.Fixed_Estimate, r.FixedEffectEstimate, 1e-12, 1e-15, $"{what}: fixed-effect estimate");
                Close.Assert(expected.Fixed_Se, r.FixedEffectStandardError, 1e-12, 0, $"{what}: fixed-effect SE");
                Close.Assert(expected.Q, r.Q, 1e-10, 1e-12, $"{what}: Q");
                Close.Assert(expected.Q_P, r.QPValue, 1e-9, 1e-15, $"{what}: Q p-value");
                Close.Assert(expected.I2, r.ISquared, 1e-9, 1e-12, $"{what}: I^2");
                Close.Assert(expected.Hksj_Scale, r.HksjScale, 1e-8, 1e-12, $"{what}: HKSJ scale");
                Close.Assert(expected.Wald.Se, r.WaldStandardError, 1e-9, 0, $"{what}: Wald SE");
                for (int i = 0; i < k; i++)
                {
                    Close.Assert(expected.Weights[i], r.Weights[i], 1e-9, 1e-15, $"{what}: weight {i}");
                }
                Close.Assert(reference.Se, r.StandardError, 1e-8, 1e-15, $"{what}: SE");
                Close.Assert(reference.Ci[0], r.Low, 1e-8, 1e-12, $"{what}: low");
                Close.Assert(reference.Ci[1], r.High, 1e-8, 1e-12, $"{what}: high");
                if (reference.P is double p)
                {
                    Close.Assert(p, r.PValue, 1e-7, 1e-12, $"{what}: p");
                }
                if (reference.Prediction is { } prediction)
                {
                    Assert.NotNull(r.PredictionInterval);
                    // SciPy's t quantile (behind the hand-made reference) is good to about 1e-9 relative.
                    double scale = Math.Abs(prediction[1] - prediction[0]);
                    Close.Assert(prediction[0], r.PredictionInterval.Value.Low, 0, 1e-9 * scale, $"{what}: prediction low");
                    Close.Assert(prediction[1], r.PredictionInterval.Value.High, 0, 1e-9 * scale, $"{what}: prediction high");
                }
                else
                {
                    Assert.Null(r.PredictionInterval);
                }
            }
        }
    }

    [Fact]
    public void Paule_Mandel_solves_its_estimating_equation()
    {
        // Brute force: at tau^2 > 0 the generalised Q equals k - 1, so the HKSJ scale is 1 and both HKSJ intervals coincide.
        foreach (var c in MetaFile.Load().Meta)
        {
            var r = RandomEffectsMetaAnalysis.Analyze(c.Y, c.Se);
            if (r.TauSquared > 0)
            {
                var w = c.Se.Select(s => 1 / (s * s + r.TauSquared)).ToArray();
                double mu = w.Zip(c.Y, (a, b) => a * b).Sum() / w.Sum();
                double generalisedQ = w.Zip(c.Y, (a, b) => a * (b - mu) * (b - mu)).Sum();
                Close.Assert(c.Y.Length - 1, generalisedQ, 1e-12, 0, c.Name);
                Close.Assert(1, r.HksjScale, 1e-12, 0, c.Name);
                Assert.Equal(r.StandardError, r.WaldStandardError, 12);
            }
        }
    }

    [Fact]
    public void The_default_is_Paule_Mandel_with_the_modified_HKSJ_interval()
    {
        var r = RandomEffectsMetaAnalysis.Analyze([0.01, 0.03, -0.02], [0.01, 0.01, 0.02]);
        Assert.Equal(TauSquaredEstimator.PauleMandel, r.Estimator);
        Assert.Equal(PooledIntervalMethod.HksjModified, r.Interval);
        Assert.Equal(0.95, r.Confidence);
    }

    [Fact]
    public void Equal_estimates_give_no_heterogeneity_and_the_modification_keeps_the_interval_open()
    {
        double[] y = [0.02, 0.02, 0.02, 0.02];
        double[] se = [0.01, 0.02, 0.015, 0.03];
        foreach (var estimator in new[] { TauSquaredEstimator.PauleMandel, TauSquaredEstimator.DerSimonianLaird })
        {
            var plain = RandomEffectsMetaAnalysis.Analyze(y, se, estimator, PooledIntervalMethod.Hksj);
            Assert.Equal(0, plain.TauSquared);
            Assert.True(plain.Q < 1e-25);
            Assert.Equal(0, plain.ISquared);
            Assert.Equal(1, plain.QPValue, 12);
            Assert.Equal(0.02, plain.Estimate, 15);
            // The unmodified HKSJ scale is 0 (up to rounding): a zero-width interval, which the modification replaces by the scale-1 one.
            Assert.True(plain.StandardError < 1e-15);
            Assert.True(plain.PValue < 1e-10);
            var modified = RandomEffectsMetaAnalysis.Analyze(y, se, estimator);
            Assert.Equal(modified.WaldStandardError, modified.StandardError);
            Assert.True(modified.Low < 0.02 && modified.High > 0.02);
        }
        // All estimates zero: the p-value of mu = 0 is 1.
        Assert.Equal(1, RandomEffectsMetaAnalysis.Analyze([0.0, 0, 0], [0.01, 0.02, 0.01], interval: PooledIntervalMethod.Hksj).PValue);
    }

    [Fact]
    public void Two_datasets_are_defined_without_a_prediction_interval_and_one_is_refused()
    {
        var two = RandomEffectsMetaAnalysis.Analyze([0.1, -0.1], [0.02, 0.02]);
        Assert.Equal(2, two.Studies);
        Assert.Null(two.PredictionInterval);
        Assert.True(two.TauSquared > 0);
        // t with one degree of freedom: 12.706 standard errors either side.
        Close.Assert(StudentT.Quantile(0.975, 1) * two.StandardError, two.High - two.Estimate, 1e-12, 0, "half width");
        Assert.NotNull(RandomEffectsMetaAnalysis.Analyze([0.1, -0.1, 0.05], [0.02, 0.02, 0.01]).PredictionInterval);

        Assert.Equal("estimates", Assert.Throws<ArgumentException>(() => RandomEffectsMetaAnalysis.Analyze([0.1], [0.02])).ParamName);
        Assert.Equal("estimates", Assert.Throws<ArgumentException>(() => RandomEffectsMetaAnalysis.Analyze([], [])).ParamName);
        Assert.Equal("studies", Assert.Throws<ArgumentException>(() => RandomEffectsMetaAnalysis.Analyze([new StudyEstimate(0.1, 0.02, 13)])).ParamName);
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        Assert.Equal("estimates", Assert.Throws<ArgumentException>(() => RandomEffectsMetaAnalysis.Analyze([0.1, double.NaN], [0.02, 0.02])).ParamName);
        Assert.Equal("estimates", Assert.Throws<ArgumentException>(() => RandomEffectsMetaAnalysis.Analyze([0.1, double.PositiveInfinity], [0.02, 0.02])).ParamName);
        Assert.Equal("standardErrors", Assert.Throws<ArgumentException>(() => RandomEffectsMetaAnalysis.Analyze([0.1, 0.2], [0.02, double.NaN])).ParamName);
        // Zero within-dataset variance: the seeds all gave the same difference, and the weight 1/s^2 is undefined.
        var zero = Assert.Throws<ArgumentException>(() => RandomEffectsMetaAnalysis.Analyze([0.1, 0.2, 0.3], [0.02, 0, 0.01]));
        Assert.Equal("standardErrors", zero.ParamName);
        Assert.Contains("standardErrors[1] = 0", zero.Message, StringComparison.Ordinal);
        Assert.Equal("standardErrors", Assert.Throws<ArgumentException>(() => RandomEffectsMetaAnalysis.Analyze([0.1, 0.2], [0.02, -0.01])).ParamName);
        Assert.Equal("standardErrors", Assert.Throws<ArgumentException>(() => RandomEffectsMetaAnalysis.Analyze([0.1, 0.2], [0.02])).ParamName);
        Assert.Equal("confidence", Assert.Throws<ArgumentException>(() => RandomEffectsMetaAnalysis.Analyze([0.1, 0.2], [0.02, 0.01], confidence: 1)).ParamName);
        Assert.Equal("estimator", Assert.Throws<ArgumentException>(() => RandomEffectsMetaAnalysis.Analyze([0.1, 0.2], [0.02, 0.01], (TauSquaredEstimator)7)).ParamName);
        Assert.Equal("interval", Assert.Throws<ArgumentException>(() => RandomEffectsMetaAnalysis.Analyze([0.1, 0.2], [0.02, 0.01], interval: (PooledIntervalMethod)7)).ParamName);
        Assert.Equal("studies", Assert.Throws<ArgumentException>(() => RandomEffectsMetaAnalysis.Analyze([new StudyEstimate(0.1, 0.02, 13), new StudyEstimate(double.NaN, 0.02, 13)])).ParamName);
    }

    [Fact]
    public void A_study_estimate_is_the_mean_difference_and_its_standard_error()
    {
        double[] d = [0.01, -0.02, 0.03, 0.015, 0.005];
        var s = StudyEstimate.FromDifferences(d);
        double mean = d.Average();
        double sd = Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / (d.Length - 1));
        Assert.Equal(mean, s.Estimate, 15);
        Assert.Equal(sd / Math.Sqrt(d.Length), s.StandardError, 15);
        Assert.Equal(5, s.Count);
        Assert.Equal("differences", Assert.Throws<ArgumentException>(() => StudyEstimate.FromDifferences([0.1])).ParamName);
        Assert.Equal("differences", Assert.Throws<ArgumentException>(() => StudyEstimate.FromDifferences([0.1, double.NaN])).ParamName);
    }

    [Fact]
    public void The_raw_csv_case_pools_the_learned_distance_gain_on_mean_emd()
    {
        // The committed reference analyses xemd1 against ce on mean EMD over the 13 ordered datasets of raw.csv.
        var c = MetaFile.Load().Meta.Single(m => m.Name.StartsWith("raw.csv", StringComparison.Ordinal));
        Assert.Equal(13, c.Y.Length);
        var r = RandomEffectsMetaAnalysis.Analyze(c.Y, c.Se);
        Assert.True(r.High < 0, "the pooled mean EMD difference should lie below 0");
        Assert.NotNull(r.PredictionInterval);
    }
}
