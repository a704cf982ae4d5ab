using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace EarthMover.Benchmarks;

/// <summary>
/// The median time of a benchmark with competing processes over its own median with none (same method, job
/// and other parameters): how much a busy machine slows it. A fair share of a machine whose every core is
/// wanted by one other process is 2.
/// </summary>
public sealed class BusyOverQuietColumn : IColumn
{
    public string Id => nameof(BusyOverQuietColumn);

    public string ColumnName => "Busy/quiet";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Busy/quiet: median with competing processes over the median of the same benchmark without";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var quiet = summary.BenchmarksCases.FirstOrDefault(other =>
            other.Descriptor == benchmarkCase.Descriptor
            && other.Job == benchmarkCase.Job
            && other.Parameters.Items.All(p => p.Name == nameof(ContentionBenchmarks.CompetingProcesses)
                ? Equals(p.Value, 0)
                : Equals(p.Value, benchmarkCase.Parameters[p.Name])));
        var mine = summary[benchmarkCase]?.ResultStatistics;
        var theirs = quiet is null ? null : summary[quiet]?.ResultStatistics;
        return mine is null || theirs is null || theirs.Median == 0 ? "?" : (mine.Median / theirs.Median).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
