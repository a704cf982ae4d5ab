namespace EarthMover;

/// <summary>
/// How the losses check the values they are given (docs/math.md §8). Shapes, types and devices are checked
/// on every call, and so are the values: class indices, distributions, finite logits and weights. On the CPU
/// the fused kernels check values as they read them; elsewhere the check is a few tensor operations whose
/// answer is read back once per call.
/// </summary>
public static class LossValidation
{
    /// <summary>
    /// How far the sum of a probability row (a soft target, or an input given as probabilities) may be from 1:
    /// |Σ t - 1| ≤ 1e-3. Entries must also be ≥ 0.
    /// </summary>
    public const double DistributionTolerance = 1e-3;

    /// <summary>Weights (per sample or per class) must be finite and ≥ 0; throws naming <paramref name="parameter"/>.</summary>
    internal static void CheckWeights(ReadOnlySpan<double> weights, string parameter)
    {
        for (int i = 0; i < weights.Length; i++)
        {
            if (!(weights[i] >= 0) || double.IsInfinity(weights[i]))
            {
                throw new ArgumentException($"{parameter}[{i}] = {weights[i]}; weights must be finite and >= 0.", parameter);
            }
        }
    }

    /// <summary>The per-sample weights the fused kernel receives, already combined and checked by the dispatch.</summary>
    internal static void CheckSampleWeights(ReadOnlySpan<double> weights, int rows, string parameter = "sample_weight")
    {
        if (weights.Length != rows)
        {
            throw new ArgumentException($"{parameter} has {weights.Length} entries but input has {rows} rows; give one weight per sample.", parameter);
        }
        CheckWeights(weights, parameter);
    }
}
