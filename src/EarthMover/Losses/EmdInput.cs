namespace EarthMover;

/// <summary>What the first argument of a loss holds.</summary>
public enum EmdInput
{
    /// <summary>Unnormalised scores z; the loss applies softmax itself (stable for logits of any magnitude).</summary>
    Logits,

    /// <summary>Probabilities p: each row ≥ 0 and summing to 1 within <see cref="LossValidation.DistributionTolerance"/>.</summary>
    Probabilities,
}
