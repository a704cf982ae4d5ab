namespace EarthMover.Cli.Data;

/// <summary>
/// How raw features become model inputs, fitted on the training split and saved with the model: numeric
/// columns are standardised with the training mean and standard deviation, categorical ones one-hot encoded
/// with the training categories; images are scaled to [0, 1].
/// </summary>
internal sealed record FeatureEncoder(
    bool Image,
    NumericColumn[] Numeric,
    CategoricalColumn[] Categorical,
    MissingValues Missing)
{
    /// <summary>The encoder of 28 x 28 images.</summary>
    public static FeatureEncoder Images { get; } = new(true, [], [], MissingValues.Drop);

    /// <summary>The number of model inputs.</summary>
    public int Width => Image ? 28 * 28 : Numeric.Length + Categorical.Sum(c => c.Categories.Length);
}

/// <summary>A standardised numeric column.</summary>
internal sealed record NumericColumn(string Name, int Source, double Mean, double Scale);

/// <summary>A one-hot encoded column; values not seen in training encode as all zeros.</summary>
internal sealed record CategoricalColumn(string Name, int Source, string[] Categories);
