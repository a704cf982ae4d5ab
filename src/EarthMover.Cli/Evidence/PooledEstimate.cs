using EarthMover.Cli.Statistics;

namespace EarthMover.Cli.Evidence;

/// <summary>
/// One loss against the baseline on one metric across the pooled datasets: a random-effects meta-analysis
/// (<see cref="RandomEffectsMetaAnalysis"/>: Paule-Mandel τ², modified Hartung-Knapp-Sidik-Jonkman interval, 95 %
/// prediction interval) of the per-dataset mean paired differences, each with its standard error sd / √n over the
/// seeds; the p-values of all rows of a table are Holm-corrected together.
/// </summary>
/// <param name="Loss">The loss's label.</param>
/// <param name="Metric">The metric's suite name.</param>
/// <param name="Datasets">How many datasets entered.</param>
/// <param name="Result">The meta-analysis; null when it cannot be computed (see <paramref name="Why"/>).</param>
/// <param name="Why">Why there is no result (a dataset whose seeds all gave the same difference has no standard error; fewer than two datasets); null with a result.</param>
/// <param name="AdjustedP">The Holm-adjusted p-value of μ = 0 over the table's rows (NaN without a result).</param>
internal sealed record PooledEstimate(string Loss, string Metric, int Datasets, RandomEffectsResult? Result, string? Why, double AdjustedP)
{
    /// <summary>Whether the confidence interval of the pooled mean lies on the better side of zero and survives the table's Holm correction at <paramref name="alpha"/>.</summary>
    public bool Better(double alpha) => Result is { } r && AdjustedP <= alpha && (SuiteFile.HigherIsBetter(Metric) ? r.Estimate > 0 : r.Estimate < 0);

    /// <summary>Whether it lies on the worse side of zero and survives the table's Holm correction at <paramref name="alpha"/>.</summary>
    public bool Worse(double alpha) => Result is { } r && AdjustedP <= alpha && (SuiteFile.HigherIsBetter(Metric) ? r.Estimate < 0 : r.Estimate > 0);

    /// <summary>Pools each (loss, metric) over the datasets and Holm-corrects the p-values of those with a result together.</summary>
    /// <param name="cells">Per (loss, metric), the per-dataset paired differences (one array of seeds per dataset).</param>
    public static IReadOnlyList<PooledEstimate> Compute(IReadOnlyList<(string Loss, string Metric, IReadOnlyList<double[]> Differences)> cells)
    {
        var rows = cells.Select(c =>
        {
            if (c.Differences.Count < 2)
            {
                return new PooledEstimate(c.Loss, c.Metric, c.Differences.Count, null, "fewer than two datasets", double.NaN);
            }
            var studies = c.Differences.Select(StudyEstimate.FromDifferences).ToArray();
            if (studies.Any(s => !(s.StandardError > 0)))
            {
                return new PooledEstimate(c.Loss, c.Metric, studies.Length, null, "a dataset's seeds all gave the same difference (no standard error)", double.NaN);
            }
            return new PooledEstimate(c.Loss, c.Metric, studies.Length, RandomEffectsMetaAnalysis.Analyze(studies), null, double.NaN);
        }).ToArray();
        var withResult = rows.Select((r, i) => (r, i)).Where(p => p.r.Result is not null).ToArray();
        if (withResult.Length > 0)
        {
            var adjusted = Holm.Adjust(withResult.Select(p => p.r.Result!.PValue).ToArray());
            for (int j = 0; j < withResult.Length; j++)
            {
                rows[withResult[j].i] = withResult[j].r with { AdjustedP = adjusted[j] };
            }
        }
        return rows;
    }
}
