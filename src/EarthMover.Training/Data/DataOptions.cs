using System.Text.Json.Serialization;

namespace EarthMover.Training.Data;

/// <summary>
/// Where the data comes from and how to read it, as given on the command line (each property is the earthmover
/// option of the same name): a CSV file with its target column and class order, the columns to leave out or to
/// read as categories, what to do with missing values, how to cut a numeric target into classes; or IDX images.
/// Load it with <see cref="DataSource.Load"/>.
/// </summary>
/// <example>
/// <code>
/// var data = DataSource.Load(new DataOptions { Source = "hpc_data.csv", Target = "class", Order = ["VF", "F", "M", "L"] });
/// </code>
/// </example>
public sealed record DataOptions
{
    /// <summary>"diamonds" (embedded, the default), a CSV file, an IDX images file, or a folder of IDX files.</summary>
    public string Source { get; init; } = DataSource.Diamonds;

    /// <summary>--target: the CSV column of the classes (for the embedded diamonds, "cut" by default).</summary>
    public string? Target { get; init; }

    /// <summary>--target-columns: one column per class holding counts or probabilities (instead of <see cref="Target"/>).</summary>
    public IReadOnlyList<string>? TargetColumns { get; init; }

    /// <summary>--aggregate-by: rows sharing this column's value become one sample, its target the histogram of their classes.</summary>
    public string? AggregateBy { get; init; }

    /// <summary>Whether the samples have target distributions rather than class labels.</summary>
    [JsonIgnore]
    public bool HasDistributionTargets => TargetColumns is not null || AggregateBy is not null;

    /// <summary>--order: the classes, lowest first; null for a numeric target, whose values are the classes (or see <see cref="Bins"/>).</summary>
    public IReadOnlyList<string>? Order { get; init; }

    /// <summary>--ignore: columns that are not features (IDs, other targets).</summary>
    public IReadOnlyList<string> Ignore { get; init; } = [];

    /// <summary>--categorical: columns to one-hot encode although they hold numbers.</summary>
    public IReadOnlyList<string> Categorical { get; init; } = [];

    /// <summary>--missing: what to do with rows that have missing features.</summary>
    public MissingValues Missing { get; init; } = MissingValues.Drop;

    /// <summary>A seeded, stratified sample of this many samples (all when null).</summary>
    public int? Rows { get; init; }

    /// <summary>The labels IDX file, when <see cref="Source"/> is an images IDX file.</summary>
    public string? Labels { get; init; }

    /// <summary>"rotation": the derived ordinal task of rotated images (see <see cref="RotationTask"/>).</summary>
    public string? Task { get; init; }

    /// <summary>--class-names: names for the labels of image data (0 to 9 by default; Fashion-MNIST's for a folder named fashion).</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>
    /// Where to read <see cref="Source"/> from when it is not where the current folder says: the absolute path a
    /// run recorded, when evaluate or --resume reads the run's data again from another folder. Not saved.
    /// </summary>
    [JsonIgnore]
    internal string? SourcePath { get; init; }

    /// <summary>Where to read <see cref="Labels"/> from, as <see cref="SourcePath"/>. Not saved.</summary>
    [JsonIgnore]
    internal string? LabelsPath { get; init; }

    /// <summary>--delimiter as typed (, ; tab |); null: detected from the file.</summary>
    public string? Delimiter { get; init; }

    /// <summary>--encoding as typed; null: UTF-8 (a byte-order mark wins).</summary>
    public string? Encoding { get; init; }

    /// <summary>--bins: cut a numeric target into this many ordered classes.</summary>
    public int? Bins { get; init; }

    /// <summary>--binning: quantile (classes of equal counts) or width (intervals of equal width).</summary>
    public string Binning { get; init; } = "quantile";

    /// <summary>The seed of the <see cref="Rows"/> sample and of the rotation task (the run's --seed).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Checks --target-columns and --aggregate-by against the other target options (before anything is read).</summary>
    public void CheckTargets()
    {
        if (TargetColumns is not null)
        {
            if (Target is not null)
            {
                throw new UserError("--target-columns and --target both say what the target is: give one of them.");
            }
            if (TargetColumns.Count < 2)
            {
                throw new UserError("--target-columns: name at least two columns, one per class in order.");
            }
            if (AggregateBy is not null || Order is not null || Bins is not null)
            {
                throw new UserError("--target-columns gives the classes and the targets itself; leave out --aggregate-by, --order and --bins.");
            }
        }
        if (AggregateBy is not null && Target is null && Source != DataSource.Diamonds)
        {
            throw new UserError("--aggregate-by makes a histogram of the --target classes of the rows sharing a key; give --target too.");
        }
        if (HasDistributionTargets && (Source == DataSource.Diamonds || Labels is not null || Task is not null))
        {
            throw new UserError("--target-columns and --aggregate-by read CSV files; give --data FILE.csv.");
        }
    }
}
