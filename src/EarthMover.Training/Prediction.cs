namespace EarthMover.Training;

/// <summary>The prediction of one sample.</summary>
/// <param name="Class">The class index (0 = lowest): the decoder's, or for coral, corn, logistic-at and ecoc runs the method's own rule.</param>
/// <param name="Label">Its name.</param>
/// <param name="Probabilities">The predicted probability of every class, lowest first.</param>
public sealed record Prediction(int Class, string Label, IReadOnlyList<double> Probabilities);
