namespace EarthMover.Training.Methods;

/// <summary>
/// What the network's last layer outputs for a loss, and so how its outputs become a class distribution and a
/// class (<see cref="LossHeads"/>).
/// </summary>
internal enum LossHead
{
    /// <summary>C logits; the distribution is their softmax, the class the run's decoder of it.</summary>
    Logits,

    /// <summary>CORAL's layer (one shared weight vector, C - 1 biases); <c>ordinal.coral_probabilities</c>, <c>ordinal.threshold_predict</c>.</summary>
    Coral,

    /// <summary>The logistic all-threshold model: margins f - θ_q from the same layer as CORAL; <c>ordinal.logistic_at_probabilities</c>, <c>ordinal.threshold_predict</c>.</summary>
    LogisticAt,

    /// <summary>C - 1 conditional logits from a linear layer; <c>ordinal.corn_probabilities</c>, <c>ordinal.corn_predict</c>.</summary>
    Corn,

    /// <summary>The C - 1 bits of the ordinal code (logits; σ gives the bits); <c>ordinal.ecoc_probabilities</c>, <c>ordinal.ecoc_predict</c>.</summary>
    Ecoc,

    /// <summary>One value, the class index as a number (the regression baseline).</summary>
    Regression,
}
