using System.Globalization;
using System.Text.Json.Serialization;

namespace EarthMover.Training.Data;

/// <summary>
/// How raw features become model inputs, fitted on the training split and saved with the model: numeric
/// columns are standardised with the training mean and standard deviation; categorical ones are one-hot
/// encoded with the training levels, or, above <see cref="OneHotLimit"/> levels, passed as one level index
/// each to an embedding of the model's first layer (the same model as one-hot, without a dense matrix of the
/// whole table for a column of IDs); images are scaled to [0, 1]. Inputs are laid out as: numeric columns, one-hot blocks, level indices.
/// </summary>
/// <param name="Image">28 x 28 images rather than table rows.</param>
/// <param name="Columns">The feature columns the model reads, by name, in the training file's order.</param>
/// <param name="Missing">The --missing policy of training.</param>
internal sealed record FeatureEncoder(bool Image, FeatureColumn[] Columns, MissingValues Missing)
{
    /// <summary>The most levels a categorical column is one-hot encoded with; more get an embedding.</summary>
    public const int OneHotLimit = 100;

    /// <summary>The level of a missing categorical value under --missing impute.</summary>
    public const string MissingLevel = "(missing)";

    private int[]? _numeric;
    private int[]? _oneHot;
    private int[]? _embedded;

    /// <summary>The encoder of 28 x 28 images.</summary>
    public static FeatureEncoder Images { get; } = new(true, [], MissingValues.Drop);

    /// <summary>The number of model inputs per sample: dense values, then one level index per embedded column.</summary>
    [JsonIgnore]
    public int Width => Image ? 28 * 28 : DenseWidth + Embedded.Count;

    /// <summary>The number of dense inputs (standardised numbers and one-hot blocks).</summary>
    [JsonIgnore]
    public int DenseWidth => Image ? 28 * 28 : NumericColumns.Length + OneHotColumns.Sum(i => Columns[i].Levels!.Length);

    /// <summary>The levels of the embedded columns, in input order (their index 0 is "not seen in training").</summary>
    [JsonIgnore]
    public IReadOnlyList<int> Embedded => EmbeddedColumns.Select(i => Columns[i].Levels!.Length).ToArray();

    private int[] NumericColumns => _numeric ??= Indices(c => c.Kind == FeatureKind.Numeric);

    private int[] OneHotColumns => _oneHot ??= Indices(c => c.Kind == FeatureKind.Categorical && c.Encoding == CategoryEncoding.OneHot);

    private int[] EmbeddedColumns => _embedded ??= Indices(c => c.Kind == FeatureKind.Categorical && c.Encoding == CategoryEncoding.Embedding);

    /// <summary>
    /// Encodes one row. A missing number takes the training mean (0 after standardising); a missing category the
    /// level "(missing)" when training had it; a level not seen in training encodes as no level (a zero one-hot
    /// block, or embedding index 0, whose vector is zero). Both are counted in <paramref name="stats"/>.
    /// </summary>
    /// <param name="cells">The row's cells, in the order of <see cref="Columns"/>; null when missing.</param>
    /// <param name="destination"><see cref="Width"/> values, zero on entry.</param>
    /// <param name="stats">Counts of imputed and unseen values, or null.</param>
    public void Encode(ReadOnlySpan<string?> cells, Span<float> destination, EncodingStats? stats)
    {
        int at = 0;
        bool unseen = false;
        foreach (int i in NumericColumns)
        {
            var column = Columns[i];
            string? cell = cells[i];
            if (cell is null)
            {
                stats?.Imputed(column.Name);
                at++;
                continue;
            }
            if (!TargetSchema.TryNumber(cell, out double value))
            {
                throw new UserError($"column '{column.Name}': '{cell}' is not a number, and the model reads '{column.Name}' as numeric.");
            }
            destination[at++] = (float)((value - column.Mean!.Value) / column.Scale!.Value);
        }
        foreach (int i in OneHotColumns)
        {
            int level = Level(Columns[i], cells[i], stats, ref unseen);
            if (level >= 0)
            {
                destination[at + level] = 1f;
            }
            at += Columns[i].Levels!.Length;
        }
        foreach (int i in EmbeddedColumns)
        {
            destination[at++] = Level(Columns[i], cells[i], stats, ref unseen) + 1;
        }
        if (unseen)
        {
            stats?.UnseenRow();
        }
    }

    private static int Level(FeatureColumn column, string? cell, EncodingStats? stats, ref bool unseen)
    {
        if (cell is null)
        {
            stats?.Imputed(column.Name);
        }
        string value = cell ?? MissingLevel;
        int level = column.LevelOf(value);
        if (level < 0 && cell is not null)
        {
            stats?.Unseen(column.Name, value);
            unseen = true;
        }
        return level;
    }

    private int[] Indices(Func<FeatureColumn, bool> predicate) =>
        Enumerable.Range(0, Columns.Length).Where(i => predicate(Columns[i])).ToArray();
}

/// <summary>Numeric or categorical.</summary>
internal enum FeatureKind
{
    [JsonStringEnumMemberName("numeric")]
    Numeric,

    [JsonStringEnumMemberName("categorical")]
    Categorical,
}

/// <summary>How a categorical column reaches the model.</summary>
internal enum CategoryEncoding
{
    [JsonStringEnumMemberName("one-hot")]
    OneHot,

    [JsonStringEnumMemberName("embedding")]
    Embedding,
}

/// <summary>One feature column of the schema: numeric with its standardisation, or categorical with its levels.</summary>
internal sealed record FeatureColumn
{
    private Dictionary<string, int>? _levels;

    public string Name { get; init; } = "";

    public FeatureKind Kind { get; init; }

    /// <summary>Numeric: the training mean.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Mean { get; init; }

    /// <summary>Numeric: the training standard deviation (1 when it is 0).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Scale { get; init; }

    /// <summary>Categorical: the training levels, in ordinal order.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string[]? Levels { get; init; }

    /// <summary>Categorical: one-hot, or an embedding above <see cref="FeatureEncoder.OneHotLimit"/> levels.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CategoryEncoding? Encoding { get; init; }

    /// <summary>A numeric column.</summary>
    public static FeatureColumn Numeric(string name, double mean, double scale) => new() { Name = name, Kind = FeatureKind.Numeric, Mean = mean, Scale = scale };

    /// <summary>A categorical column, embedded when it has more than <see cref="FeatureEncoder.OneHotLimit"/> levels.</summary>
    public static FeatureColumn Categorical(string name, string[] levels)
    {
        bool embed = levels.Length > FeatureEncoder.OneHotLimit;
        return new()
        {
            Name = name,
            Kind = FeatureKind.Categorical,
            Levels = levels,
            Encoding = embed ? CategoryEncoding.Embedding : CategoryEncoding.OneHot,
        };
    }

    /// <summary>The index of a level, or -1 when training did not see it.</summary>
    public int LevelOf(string value)
    {
        _levels ??= Levels!.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        return _levels.TryGetValue(value, out int index) ? index : -1;
    }

    /// <summary>How the schema shows the column: "carat (numeric)", "cut (categorical, 5 levels)".</summary>
    public override string ToString() => Kind == FeatureKind.Numeric
        ? $"{Name} (numeric)"
        : string.Create(CultureInfo.InvariantCulture, $"{Name} (categorical, {Plural.Of(Levels!.Length, "level")}{(Encoding == CategoryEncoding.Embedding ? ", embedded" : "")})");
}
