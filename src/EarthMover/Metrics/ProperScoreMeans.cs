namespace EarthMover;

/// <summary>
/// The proper scores of <see cref="ProperScores"/> averaged over samples (lower is better for each): what a results
/// table, <c>evaluate</c> or raw.csv report beside the descriptive metrics of <see cref="OrdinalMetrics"/>.
/// </summary>
/// <param name="Samples">How many samples were scored.</param>
/// <param name="RankedProbabilityScore">Mean ranked probability score, (1/N) Σ_i Σ_{m=1..C} (P_im − T_im)²: the unnormalised sum, in [0, C − 1].</param>
/// <param name="LogLoss">Mean log loss, (1/N) Σ_i −Σ_k t_ik log max(p_ik, ε) (−log max(p_iy, ε) for a true class), natural logarithm.</param>
/// <param name="BrierScore">Mean multi-class Brier score, (1/N) Σ_i Σ_k (p_ik − t_ik)²: the sum over classes, in [0, 2].</param>
public sealed record ProperScoreMeans(int Samples, double RankedProbabilityScore, double LogLoss, double BrierScore);
