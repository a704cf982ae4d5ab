using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace EarthMover.Benchmarks;

/// <summary>
/// A statistic of a benchmark over the same statistic of its baseline in the same group: the median, or the
/// minimum. On a shared, noisy machine these are steadier than the mean that BenchmarkDotNet's own Ratio
/// column divides; the minimum is the cost with the least interference.
/// </summary>
public sealed class StatisticRatioColumn(string name, Func<BenchmarkDotNet.Mathematics.Statistics, double> statistic) : IColumn
{
    /// <summary>Median over the baseline's median.</summary>
    public static readonly StatisticRatioColumn Median = new("Median ratio", s => s.Median);

    /// <summary>Minimum over the baseline's minimum.</summary>
    public static readonly StatisticRatioColumn Min = new("Min ratio", s => s.Min);

    public string Id => nameof(StatisticRatioColumn) + name;

    public string ColumnName => name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Baseline;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => $"{name}: the statistic of this benchmark over that of the baseline (cross_entropy) with the same parameters";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var baseline = summary.GetBaseline(summary.GetLogicalGroupKey(benchmarkCase));
        var mine = summary[benchmarkCase]?.ResultStatistics;
        var theirs = baseline is null ? null : summary[baseline]?.ResultStatistics;
        return mine is null || theirs is null || statistic(theirs) == 0 ? "?" : (statistic(mine) / statistic(theirs)).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
