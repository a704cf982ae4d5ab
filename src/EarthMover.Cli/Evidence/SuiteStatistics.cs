using EarthMover.Cli.Statistics;

namespace EarthMover.Cli.Evidence;

/// <summary>Which comparison of the family: a loss against the baseline on a metric of a dataset.</summary>
internal sealed record FamilyKey(string Dataset, string Loss, string Metric);

/// <summary>
/// The statistics of a suite's raw results. Per dataset, for every member of the pre-declared family: the paired
/// differences (loss − baseline, one per seed), their mean with a percentile bootstrap 95 % interval, the exact
/// Wilcoxon signed-rank p-value and the exact sign test, corrected over the whole family with Holm's method
/// (family-wise error) or Benjamini-Hochberg's (false discovery rate), as the suite declares. Across datasets,
/// per loss and pooled metric: the random-effects pooled estimate (<see cref="PooledEstimate"/>). The raw rows must
/// hold every dataset x loss x seed of the suite exactly once, and nothing else.
/// </summary>
internal sealed class SuiteStatistics
{
    private readonly Dictionary<(string Dataset, string Loss, int Seed), RawRow> _rows;

    private SuiteStatistics(SuiteFile suite, Dictionary<(string, string, int), RawRow> rows, IReadOnlyList<FamilyMember<FamilyKey>> family, IReadOnlyList<PooledEstimate> pooled)
    {
        Suite = suite;
        _rows = rows;
        Family = family;
        Pooled = pooled;
    }

    /// <summary>Per candidate loss and pooled metric (<see cref="SuiteFile.PooledMetrics"/>, in that order within each loss), the random-effects pooled estimate, Holm-corrected over the table.</summary>
    public IReadOnlyList<PooledEstimate> Pooled { get; }

    /// <summary>The proper scores the rows do not all record (every one for raw rows from before they were recorded).</summary>
    public IReadOnlyList<string> Unrecorded => SuiteFile.ProperScoreNames.Where(m => _rows.Values.Any(r => r.Recorded(m) is null)).ToArray();

    /// <summary>Whether a metric is recorded for a dataset and loss on every seed.</summary>
    public bool IsRecorded(string dataset, string loss, string metric) => Suite.Seeds.All(s => _rows[(dataset, loss, s)].Recorded(metric) is not null);

    /// <summary>The per-dataset correction's name as the page prints it.</summary>
    public string CorrectionName => Suite.Multiplicity == "bh" ? "Benjamini-Hochberg's correction" : "Holm's correction";

    public SuiteFile Suite { get; }

    /// <summary>Every member of the family, in the suite's order (dataset, loss, metric), with its adjusted p-value.</summary>
    public IReadOnlyList<FamilyMember<FamilyKey>> Family { get; }

    public int Survivors => Family.Count(m => m.Survives);

    /// <summary>The rows in the suite's order (dataset, loss, seed).</summary>
    public IEnumerable<RawRow> Rows =>
        Suite.Datasets.SelectMany(d => Suite.Losses.SelectMany(l => Suite.Seeds.Select(s => _rows[(d.Title, l.Label, s)])));

    public RawRow Row(string dataset, string loss, int seed) => _rows[(dataset, loss, seed)];

    /// <summary>The values of a metric for a dataset and loss, in the order of the suite's seeds.</summary>
    public double[] Values(string dataset, string loss, string metric) =>
        Suite.Seeds.Select(s => _rows[(dataset, loss, s)].Metric(metric)).ToArray();

    public FamilyMember<FamilyKey> Member(string dataset, string loss, string metric) =>
        Family.First(m => m.Key == new FamilyKey(dataset, loss, metric));

    /// <summary>Checks the rows against the suite (one <see cref="UserError"/> naming the first problem) and computes the family.</summary>
    public static SuiteStatistics Compute(SuiteFile suite, IEnumerable<RawRow> rows, string option = "--raw")
    {
        var byKey = new Dictionary<(string, string, int), RawRow>();
        var datasets = suite.Datasets.Select(d => d.Title).ToHashSet(StringComparer.Ordinal);
        var losses = suite.Losses.Select(l => l.Label).ToHashSet(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!datasets.Contains(row.Dataset))
            {
                throw new UserError($"{option}: a row names dataset '{row.Dataset}', which the suite does not have.");
            }
            if (!losses.Contains(row.Loss))
            {
                throw new UserError($"{option}: a row names loss '{row.Loss}', which the suite does not have.");
            }
            if (!suite.Seeds.Contains(row.Seed))
            {
                throw new UserError($"{option}: a row has seed {row.Seed}, which the suite does not list.");
            }
            if (!byKey.TryAdd((row.Dataset, row.Loss, row.Seed), row))
            {
                throw new UserError($"{option}: dataset '{row.Dataset}', loss '{row.Loss}', seed {row.Seed} appears twice.");
            }
        }
        foreach (var d in suite.Datasets)
        {
            foreach (var l in suite.Losses)
            {
                foreach (int s in suite.Seeds)
                {
                    if (!byKey.ContainsKey((d.Title, l.Label, s)))
                    {
                        throw new UserError($"{option}: no row for dataset '{d.Title}', loss '{l.Label}', seed {s}: the suite is not finished (or its shards not all given).");
                    }
                }
            }
        }
        if (suite.Family.FirstOrDefault(f => byKey.Values.Any(r => r.Dataset == f.Dataset.Title && r.Recorded(f.Metric) is null)) is { Dataset: not null } unrecorded)
        {
            throw new UserError($"{option}: dataset '{unrecorded.Dataset.Title}' declares {unrecorded.Metric}, which its raw rows do not record (rows written before the proper scores were recorded); rerun it, or leave {unrecorded.Metric} out of its metrics.");
        }
        double[] Differences(string dataset, string loss, string metric) =>
            suite.Seeds.Select(s => byKey[(dataset, loss, s)].Metric(metric) - byKey[(dataset, suite.Baseline, s)].Metric(metric)).ToArray();
        var members = suite.Family.Select(f =>
        {
            var candidate = suite.Seeds.Select(s => byKey[(f.Dataset.Title, f.Loss.Label, s)].Metric(f.Metric)).ToArray();
            var baseline = suite.Seeds.Select(s => byKey[(f.Dataset.Title, suite.Baseline, s)].Metric(f.Metric)).ToArray();
            return (new FamilyKey(f.Dataset.Title, f.Loss.Label, f.Metric), PairedComparison.Of(candidate, baseline));
        }).ToArray();
        var family = PairedFamily.Correct(members, suite.Alpha);
        if (suite.Multiplicity == "bh")
        {
            var p = members.Select(m => m.Item2.Wilcoxon.PValue).ToArray();
            var adjusted = BenjaminiHochberg.Adjust(p);
            var rejected = BenjaminiHochberg.Survives(p, suite.Alpha);
            family = members.Select((m, i) => new FamilyMember<FamilyKey>(m.Item1, m.Item2, adjusted[i], rejected[i])).ToArray();
        }
        var cells = suite.Candidates.SelectMany(loss => suite.PooledMetrics.Select(metric => (
            loss.Label,
            metric,
            (IReadOnlyList<double[]>)suite.PooledDatasets.Where(d => suite.MetricsOf(d).Contains(metric)).Select(d => Differences(d.Title, loss.Label, metric)).ToArray()))).ToArray();
        return new SuiteStatistics(suite, byKey, family, PooledEstimate.Compute(cells));
    }
}
