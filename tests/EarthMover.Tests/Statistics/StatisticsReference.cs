using EarthMover.Tests.Support;

namespace EarthMover.Tests.Statistics;

/// <summary>The values reference/statistics.py computed with SciPy and statsmodels.</summary>
internal sealed record StatisticsFile(
    List<WilcoxonExactCase> Wilcoxon_Exact,
    List<WilcoxonPermutationCase> Wilcoxon_Permutation,
    List<SignTestCase> Sign_Test,
    List<HolmCase> Holm,
    List<BootstrapCase> Bootstrap,
    List<QuantileCase> Quantiles)
{
    public static StatisticsFile Load() => ReferenceData.Load<StatisticsFile>("statistics.json");
}

internal sealed record WilcoxonExactCase(double[] D, double Statistic, double P);

internal sealed record WilcoxonPermutationCase(double[] D, string Zero_Method, double R_Plus, double P);

internal sealed record SignTestCase(int K, int N, double P);

internal sealed record HolmCase(double[] P, double Alpha, double[] Adjusted, bool[] Reject);

internal sealed record BootstrapCase(double[] X, double Confidence, double[] Scipy, double[]? Ideal, double Bootstrap_Se);

internal sealed record QuantileCase(double[] Values, double Q, double Value);
