namespace EarthMover.Training.Data;

/// <summary>
/// Samples with ordered class labels, and features that become numbers only through an encoder fitted on the
/// training split (so that no statistic of the validation or test rows leaks into training). Made by
/// <see cref="DataSource.Load"/>; train on it with <see cref="Trainer"/>.
/// </summary>
public abstract class Dataset
{
    private readonly List<string> _notes;

    private protected Dataset(string name, string[] classNames, int[] labels, IReadOnlyList<string> notes)
    {
        Name = name;
        ClassNames = classNames;
        Labels = labels;
        _notes = [.. notes];
    }

    /// <summary>A short name for reports.</summary>
    public string Name { get; }

    /// <summary>Class names in their order.</summary>
    public string[] ClassNames { get; }

    /// <summary>Each sample's class index.</summary>
    public int[] Labels { get; }

    /// <summary>
    /// Each sample's target distribution over the classes (--target-columns, --aggregate-by), summing to 1; null
    /// when the targets are class labels. <see cref="Labels"/> then holds each distribution's most likely class
    /// (the lowest on ties), which stratifies the splits.
    /// </summary>
    public double[][]? Targets { get; init; }

    /// <summary>What loading did that the user should know (rows dropped, values imputed, columns used).</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>Adds a note (how the file was read).</summary>
    internal void Note(string note) => _notes.Insert(0, note);

    /// <summary>The number of samples.</summary>
    public int Count => Labels.Length;

    /// <summary>Whether samples are 28 x 28 images (for the CNN) rather than rows of a table (for the MLP).</summary>
    public abstract bool IsImage { get; }

    /// <summary>The files the data was read from (null for the embedded diamonds).</summary>
    internal DataFiles? Files { get; set; }

    /// <summary>The options <see cref="DataSource.Load"/> read the data with (null for data made otherwise), which a run records.</summary>
    internal DataOptions? Options { get; set; }

    /// <summary>The CSV dialect the data was read in (null for images).</summary>
    internal CsvDialect? Dialect { get; set; }

    /// <summary>An encoder fitted on the given training rows.</summary>
    internal abstract FeatureEncoder Fit(IReadOnlyList<int> trainRows);

    /// <summary>The encoded features of <paramref name="rows"/>, row-major, <c>encoder.Width</c> per row.</summary>
    internal abstract float[] Encode(FeatureEncoder encoder, IReadOnlyList<int> rows);

    /// <summary>What a run records about this data, with the fitted encoder.</summary>
    internal abstract DataSchema Schema(FeatureEncoder encoder);
}
