using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Serialization;
using EarthMover.Cli.Reports;
using EarthMover.Training.Data;

namespace EarthMover.Cli.Commands;

/// <summary>
/// One training of a comparison and what the tables need from it. An in-process compare makes them one after
/// the other; on a cluster each job makes one and saves it as jobs/&lt;index&gt;.json, which --collect reads
/// back (every number round-trips exactly through JSON, so the tables come out the same).
/// </summary>
/// <param name="Index">The training's number in the plan (round-major: round × losses + loss).</param>
/// <param name="Loss">The loss, described as in the tables.</param>
/// <param name="Round">"seed 1", "fold 2", ...</param>
/// <param name="Metrics">The test metrics of the best epoch with the run's decoder.</param>
/// <param name="Seconds">Wall time of the training.</param>
/// <param name="BestEpoch">The best epoch, from 1.</param>
/// <param name="EpochsRun">The epochs it ran.</param>
/// <param name="CollapsedOnto">"97% 'class'" when the best model predicts one class for most validation rows; null otherwise.</param>
/// <param name="Distance">The learned ground distance (a loss with a learned distance), row by row; null otherwise.</param>
/// <param name="Distribution">NIMA's test metrics when the data has target distributions; null otherwise.</param>
/// <param name="Scores">The proper scores (RPS, log loss, Brier) of the best epoch's test distributions; null in a job file written before they were recorded.</param>
internal sealed record ComparisonRun(
    int Index,
    string Loss,
    string Round,
    OrdinalMetrics Metrics,
    double Seconds,
    int BestEpoch,
    int EpochsRun,
    string? CollapsedOnto,
    double[][]? Distance,
    DistributionMetrics? Distribution = null,
    ProperScoreMeans? Scores = null)
{
    /// <summary>The folder (inside the comparison's) of the training of loss <paramref name="loss"/> (from 0) in <paramref name="round"/>.</summary>
    public static string FolderName(int loss, LossSpec spec, string round) => $"{loss + 1}-{spec.Name}-{round.Replace(' ', '-')}";

    /// <summary>Trains one loss on one round's split into <paramref name="folder"/>.</summary>
    public static ComparisonRun Train(int index, Dataset data, DataOptions dataOptions, LossSpec loss, TrainOptions options, Split split, string round, RunFolder folder, CancellationToken cancel)
    {
        var watch = Stopwatch.StartNew();
        var result = new Trainer(data, folder, NoProgress.Instance).Run(dataOptions, loss, options, split, resume: false, cancel);
        string? collapsed = result.CollapseWarning is null ? null : $"{Text.Percent(result.Best.ValidationTopShare)} '{data.ClassNames[result.Best.ValidationTopClass]}'";
        double[][]? distance = result.Distance is { } d && loss.UsesLearner
            ? Enumerable.Range(0, d.Classes).Select(i => Enumerable.Range(0, d.Classes).Select(j => d[i, j]).ToArray()).ToArray()
            : null;
        return new ComparisonRun(index, loss.Describe(), round, result.Test[options.Decoder], watch.Elapsed.TotalSeconds, result.State.BestEpoch + 1, result.State.Epoch, collapsed, distance, result.TestDistribution, result.TestScores);
    }

    /// <summary>The entry of the tables' list of collapsed runs: "loss, round: 97% 'class'"; null if it did not collapse.</summary>
    [JsonIgnore]
    public string? Collapsed => CollapsedOnto is null ? null : $"{Loss}, {Round}: {CollapsedOnto}";

    /// <summary>The learned ground distance, if any.</summary>
    [JsonIgnore]
    public GroundDistance? GroundDistance
    {
        get
        {
            if (Distance is null)
            {
                return null;
            }
            var matrix = new double[Distance.Length, Distance.Length];
            for (int i = 0; i < Distance.Length; i++)
            {
                for (int j = 0; j < Distance.Length; j++)
                {
                    matrix[i, j] = Distance[i][j];
                }
            }
            return EarthMover.GroundDistance.FromMatrix(matrix);
        }
    }

    /// <summary>The progress line of a finished training.</summary>
    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"{Round}  {Loss}  acc {Metrics.ExactAccuracy:0.0000}  MAE {Metrics.MeanAbsoluteError:0.0000}  QWK {Metrics.QuadraticWeightedKappa:0.000}{(Scores is { } s ? $"  RPS {s.RankedProbabilityScore:0.0000}" : "")}  best epoch {BestEpoch}/{EpochsRun}  {Seconds:0} s{(CollapsedOnto is null ? "" : $"  (collapsed: {CollapsedOnto})")}");
}
