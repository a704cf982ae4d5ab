using EarthMover.Tests.Support;

namespace EarthMover.Tests;

/// <summary>The ordinal metrics against scikit-learn and SciPy.</summary>
public class OrdinalMetricsTests
{
    public static TheoryData<int> Cases() => new(Enumerable.Range(0, ReferenceData.Metrics.Cases.Count));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Metrics_equal_scikit_learn(int index)
    {
        var c = ReferenceData.Metrics.Cases[index];
        var m = OrdinalMetrics.Compute(c.Truth, c.Predicted, c.Classes, c.Probabilities);
        Assert.Equal(c.Exact_Accuracy, m.ExactAccuracy, 12);
        Assert.Equal(c.One_Off_Accuracy, m.OneOffAccuracy, 12);
        Assert.Equal(c.Mae, m.MeanAbsoluteError, 12);
        Assert.Equal(c.Macro_Mae, m.MacroMeanAbsoluteError, 12);
        Assert.Equal(c.Qwk, m.QuadraticWeightedKappa, 12);
        Assert.Equal(c.Mean_Emd, m.MeanEmd, 12);
        Assert.Equal(c.Confusion, m.Confusion);
        Assert.Equal(c.Truth.Length, m.Samples);
    }

    [Fact]
    public void Decoders_pick_the_mode_the_median_and_the_rounded_mean()
    {
        double[] p = [0.4, 0.05, 0.04, 0.51];
        Assert.Equal(3, OrdinalDecoding.Decode(p, OrdinalDecoder.Argmax));
        Assert.Equal(3, OrdinalDecoding.Decode(p, OrdinalDecoder.Median));
        Assert.Equal(2, OrdinalDecoding.Decode(p, OrdinalDecoder.Expectation)); // 0.05 + 0.08 + 1.53 = 1.66
        double[] q = [0.3, 0.25, 0.05, 0.4];
        Assert.Equal(3, OrdinalDecoding.Decode(q, OrdinalDecoder.Argmax));
        Assert.Equal(1, OrdinalDecoding.Decode(q, OrdinalDecoder.Median)); // 0.3, 0.55
    }

    [Fact]
    public void Perfect_predictions_score_one()
    {
        var m = OrdinalMetrics.Compute([0, 1, 2, 2], [0, 1, 2, 2], 3);
        Assert.Equal(1, m.ExactAccuracy);
        Assert.Equal(0, m.MeanAbsoluteError);
        Assert.Equal(1, m.QuadraticWeightedKappa);
        Assert.True(double.IsNaN(m.MeanEmd));
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        Assert.Equal("predicted", Assert.Throws<ArgumentException>(() => OrdinalMetrics.Compute([0, 1], [0], 2)).ParamName);
        Assert.Equal("truth", Assert.Throws<ArgumentException>(() => OrdinalMetrics.Compute([0, 3], [0, 1], 3)).ParamName);
        Assert.Equal("classes", Assert.Throws<ArgumentException>(() => OrdinalMetrics.Compute([0], [0], 1)).ParamName);
    }
}
