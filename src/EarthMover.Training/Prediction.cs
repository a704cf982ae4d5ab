namespace EarthMover.Training;

/// <summary>The prediction of one sample.</summary>
/// <param name="Class">The decoded class index (0 = lowest).</param>
/// <param name="Label">Its name.</param>
/// <param name="Probabilities">The predicted probability of every class, lowest first.</param>
public sealed record Prediction(int Class, string Label, IReadOnlyList<double> Probabilities);
