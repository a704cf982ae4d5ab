using System.Text.Json.Serialization;

namespace EarthMover.Cli.Data;

/// <summary>Where the data comes from and how to read it, as given on the command line.</summary>
internal sealed record DataOptions
{
    /// <summary>"diamonds" (embedded, the default), a CSV file, an IDX images file, or a folder of IDX files.</summary>
    public string Source { get; init; } = DataSource.Diamonds;

    public string? Target { get; init; }

    public IReadOnlyList<string>? Order { get; init; }

    public IReadOnlyList<string> Ignore { get; init; } = [];

    public IReadOnlyList<string> Categorical { get; init; } = [];

    public MissingValues Missing { get; init; } = MissingValues.Drop;

    /// <summary>A seeded, stratified sample of this many samples (all when null).</summary>
    public int? Rows { get; init; }

    /// <summary>The labels IDX file, when <see cref="Source"/> is an images IDX file.</summary>
    public string? Labels { get; init; }

    /// <summary>"rotation": the derived ordinal task of rotated images (see <see cref="RotationTask"/>).</summary>
    public string? Task { get; init; }

    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>
    /// Where to read <see cref="Source"/> from when it is not where the current folder says: the absolute path a
    /// run recorded, when evaluate or --resume reads the run's data again from another folder. Not saved.
    /// </summary>
    [JsonIgnore]
    public string? SourcePath { get; init; }

    /// <summary>Where to read <see cref="Labels"/> from, as <see cref="SourcePath"/>. Not saved.</summary>
    [JsonIgnore]
    public string? LabelsPath { get; init; }

    /// <summary>--delimiter as typed (, ; tab |); null: detected from the file.</summary>
    public string? Delimiter { get; init; }

    /// <summary>--encoding as typed; null: UTF-8 (a byte-order mark wins).</summary>
    public string? Encoding { get; init; }

    /// <summary>--bins: cut a numeric target into this many ordered classes.</summary>
    public int? Bins { get; init; }

    /// <summary>--binning: quantile (classes of equal counts) or width (intervals of equal width).</summary>
    public string Binning { get; init; } = "quantile";

    public int Seed { get; init; } = 1;
}
