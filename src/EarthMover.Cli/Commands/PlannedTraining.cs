
namespace EarthMover.Cli.Commands;

/// <summary>One training of a <see cref="ComparisonPlan"/>: everything a job needs besides the plan's data.</summary>
/// <param name="Index">Its number, 0 to N - 1: the job index.</param>
/// <param name="Loss">The loss's position in the plan's losses (from 0).</param>
/// <param name="LossName">The loss, described as in the tables.</param>
/// <param name="Round">The round's position (from 0).</param>
/// <param name="RoundName">"seed 1", "fold 2", ...</param>
/// <param name="Seed">The seed of the split and initialisation (seeded rounds), or null.</param>
/// <param name="Fold">The fold held out for testing (from 1; cross-validation), or null.</param>
/// <param name="Folder">The training's run folder, inside the comparison's.</param>
/// <param name="Spec">The loss and its settings.</param>
/// <param name="Options">The training options of this round.</param>
internal sealed record PlannedTraining(
    int Index,
    int Loss,
    string LossName,
    int Round,
    string RoundName,
    int? Seed,
    int? Fold,
    string Folder,
    LossSpec Spec,
    TrainOptions Options);
