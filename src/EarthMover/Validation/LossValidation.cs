namespace EarthMover;

/// <summary>
/// How the losses check the values they are given. Shapes are always checked. On the CPU the values are
/// checked too, as the fused kernels read them, at no extra cost. On other devices (CUDA) checking values
/// means reading them back to the host, which waits for the device; <see cref="CheckValuesOnDevice"/>
/// lets a training loop that trusts its data switch that off.
/// </summary>
public static class LossValidation
{
    /// <summary>
    /// How far the sum of a probability row (a soft target, or an input given as probabilities) may be from 1:
    /// |Σ t - 1| ≤ 1e-3. Entries must also be ≥ 0.
    /// </summary>
    public const double DistributionTolerance = 1e-3;

    /// <summary>
    /// Whether losses on a non-CPU device check class indices, distributions and finite inputs, at the cost of
    /// a host synchronisation per call. Default true. CPU checks are always on: they are free there, and an
    /// out-of-range class index would otherwise read outside the distance matrix.
    /// </summary>
    public static bool CheckValuesOnDevice { get; set; } = true;

    internal static void CheckSampleWeights(ReadOnlySpan<double> weights, int rows, string parameter = "weight")
    {
        if (weights.Length != rows)
        {
            throw new ArgumentException($"weight has {weights.Length} entries but input has {rows} rows; give one weight per sample.", parameter);
        }
        double total = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            if (!(weights[i] >= 0) || double.IsInfinity(weights[i]))
            {
                throw new ArgumentException($"weight[{i}] = {weights[i]}; sample weights must be finite and >= 0.", parameter);
            }
            total += weights[i];
        }
        if (!(total > 0))
        {
            throw new ArgumentException("weight sums to 0; at least one sample must have a positive weight.", parameter);
        }
    }
}
