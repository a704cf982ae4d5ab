namespace EarthMover.Cli.Statistics;

/// <summary>One dataset's line of a seed plan (<see cref="SeedPowerPlan"/>).</summary>
/// <param name="StandardDeviation">σ, the seed-to-seed standard deviation of the paired differences (loss − baseline).</param>
/// <param name="Seeds">n, the seeds of the plan.</param>
/// <param name="MinimumDetectableDifference">d_min(n, α, power) · σ: the smallest true mean difference the paired t-test detects with the plan's power.</param>
/// <param name="SeedsForTarget">The fewest seeds that detect the target difference with that power (null without a target, or when σ = 0).</param>
internal sealed record SeedPowerRow(double StandardDeviation, int Seeds, double MinimumDetectableDifference, int? SeedsForTarget);
