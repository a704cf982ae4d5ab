using System.Globalization;

namespace EarthMover.Cli.Data;

/// <summary>A table with an ordinal target column; the other columns are features.</summary>
internal sealed class TabularDataset : Dataset
{
    private const string MissingCategory = "(missing)";

    private readonly string?[][] _rows;
    private readonly string[] _columns;
    private readonly bool[] _numeric;

    private TabularDataset(string name, string[] classNames, int[] labels, string?[][] rows, string[] columns, bool[] numeric, IReadOnlyList<string> notes)
        : base(name, classNames, labels, notes)
    {
        _rows = rows;
        _columns = columns;
        _numeric = numeric;
    }

    public override bool IsImage => false;

    /// <summary>The feature columns, in order.</summary>
    public IReadOnlyList<string> Columns => _columns;

    /// <summary>Builds the dataset from a table.</summary>
    /// <param name="table">The CSV table.</param>
    /// <param name="name">The dataset's name.</param>
    /// <param name="target">The target column.</param>
    /// <param name="order">The class order, or null for a numeric target (its distinct values, ascending).</param>
    /// <param name="ignore">Columns that are not features.</param>
    /// <param name="categorical">Columns to one-hot encode even if they hold numbers.</param>
    /// <param name="missing">Rows with missing features: drop or impute.</param>
    public static TabularDataset Create(CsvTable table, string name, string target, IReadOnlyList<string>? order, IReadOnlyList<string> ignore, IReadOnlyList<string> categorical, MissingValues missing)
    {
        int targetColumn = table.Column(target, "--target");
        foreach (var column in ignore.Concat(categorical))
        {
            table.Column(column, ignore.Contains(column) ? "--ignore" : "--categorical");
        }
        var featureColumns = Enumerable.Range(0, table.Header.Length)
            .Where(j => j != targetColumn && !ignore.Contains(table.Header[j]))
            .ToArray();
        if (table.Rows.Count == 0)
        {
            throw new UserError($"{name} has a header but no rows.");
        }
        var notes = new List<string>();

        // Rows without a target cannot be used at all.
        var rows = table.Rows.Where(r => r[targetColumn] is not null).ToList();
        if (rows.Count < table.Rows.Count)
        {
            notes.Add($"dropped {table.Rows.Count - rows.Count} rows with no '{target}' value");
        }

        string[] classNames = ClassOrder(rows.Select(r => r[targetColumn]!), target, order);
        var index = classNames.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
        var labels = new List<int>();
        for (int r = 0; r < rows.Count; r++)
        {
            string value = rows[r][targetColumn]!;
            if (!index.TryGetValue(Normalize(value, order is null), out int label))
            {
                throw new UserError($"--order: the '{target}' value '{value}' (data row {r + 1}) is not one of {string.Join(", ", classNames)}.");
            }
            labels.Add(label);
        }

        // Numeric columns hold only numbers; a column mixing numbers and text is an error unless declared categorical.
        var numeric = new bool[featureColumns.Length];
        for (int f = 0; f < featureColumns.Length; f++)
        {
            int j = featureColumns[f];
            string column = table.Header[j];
            var present = rows.Select((r, i) => (Value: r[j], Row: i)).Where(p => p.Value is not null).ToList();
            int numbers = present.Count(p => TryNumber(p.Value!, out _));
            numeric[f] = !categorical.Contains(column) && present.Count > 0 && numbers == present.Count;
            if (!categorical.Contains(column) && numbers > 0 && numbers < present.Count)
            {
                var text = present.First(p => !TryNumber(p.Value!, out _));
                throw new UserError($"column '{column}' mixes numbers and text (data row {text.Row + 1}: '{text.Value}'); fix the value, or pass --categorical {column} to treat it as categories.");
            }
        }

        // Missing feature values: drop or impute, and say how many.
        var keep = Enumerable.Range(0, rows.Count).ToList();
        int incomplete = rows.Count(r => featureColumns.Any(j => r[j] is null));
        if (incomplete > 0)
        {
            if (missing == MissingValues.Drop)
            {
                keep = keep.Where(i => featureColumns.All(j => rows[i][j] is not null)).ToList();
                notes.Add($"dropped {incomplete} rows with missing feature values (--missing impute keeps them)");
            }
            else
            {
                notes.Add($"imputed missing values in {incomplete} rows (numeric: training mean; categorical: '{MissingCategory}')");
            }
        }
        if (keep.Count == 0)
        {
            throw new UserError($"{name}: no rows are left after removing rows with missing values; try --missing impute.");
        }
        var featureRows = keep.Select(i => featureColumns.Select(j => rows[i][j]).ToArray()).ToArray();
        notes.Add($"{featureColumns.Length} feature columns: {numeric.Count(n => n)} numeric (standardised), {numeric.Count(n => !n)} categorical (one-hot)");
        return new TabularDataset(name, classNames, keep.Select(i => labels[i]).ToArray(), featureRows, featureColumns.Select(j => table.Header[j]).ToArray(), numeric, notes);
    }

    /// <summary>A subset of the rows (in the order of <paramref name="rows"/>).</summary>
    public TabularDataset Subset(IReadOnlyList<int> rows, string note) =>
        new(Name, ClassNames, rows.Select(r => Labels[r]).ToArray(), rows.Select(r => _rows[r]).ToArray(), _columns, _numeric, [.. Notes, note]);

    public override FeatureEncoder Fit(IReadOnlyList<int> trainRows)
    {
        var numeric = new List<NumericColumn>();
        var categorical = new List<CategoricalColumn>();
        for (int f = 0; f < _columns.Length; f++)
        {
            if (_numeric[f])
            {
                var values = trainRows.Select(r => _rows[r][f]).Where(v => v is not null).Select(v => Number(v!)).ToArray();
                double mean = values.Length == 0 ? 0 : values.Average();
                double sd = values.Length < 2 ? 1 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
                numeric.Add(new NumericColumn(_columns[f], f, mean, sd > 0 ? sd : 1));
            }
            else
            {
                var categories = trainRows.Select(r => _rows[r][f] ?? MissingCategory).Distinct().OrderBy(c => c, StringComparer.Ordinal).ToArray();
                categorical.Add(new CategoricalColumn(_columns[f], f, categories));
            }
        }
        return new FeatureEncoder(false, [.. numeric], [.. categorical], MissingValues.Impute);
    }

    public override float[] Encode(FeatureEncoder encoder, IReadOnlyList<int> rows)
    {
        int width = encoder.Width;
        var result = new float[rows.Count * width];
        for (int i = 0; i < rows.Count; i++)
        {
            var row = _rows[rows[i]];
            int at = i * width;
            foreach (var column in encoder.Numeric)
            {
                string? cell = row[column.Source];
                result[at++] = cell is null ? 0f : (float)((Number(cell) - column.Mean) / column.Scale);
            }
            foreach (var column in encoder.Categorical)
            {
                int k = Array.IndexOf(column.Categories, row[column.Source] ?? MissingCategory);
                if (k >= 0)
                {
                    result[at + k] = 1f;
                }
                at += column.Categories.Length;
            }
        }
        return result;
    }

    private static string[] ClassOrder(IEnumerable<string> values, string target, IReadOnlyList<string>? order)
    {
        if (order is not null)
        {
            var duplicates = order.GroupBy(o => o, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
            if (duplicates.Length > 0)
            {
                throw new UserError($"--order names {string.Join(", ", duplicates)} more than once.");
            }
            if (order.Count < 2)
            {
                throw new UserError("--order must name at least two classes.");
            }
            return [.. order];
        }
        var distinct = values.Distinct(StringComparer.Ordinal).ToList();
        if (!distinct.All(v => TryNumber(v, out _)))
        {
            throw new UserError($"--target: '{target}' is not numeric ('{distinct.First(v => !TryNumber(v, out _))}'); give its class order with --order, lowest first.");
        }
        var sorted = distinct.Select(v => Number(v)).Distinct().Order().Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (sorted.Length < 2)
        {
            throw new UserError($"--target: '{target}' has a single value; there must be at least two classes.");
        }
        return sorted;
    }

    // Numeric targets are matched by value ("3" and "3.0" are the same class).
    private static string Normalize(string value, bool numeric) =>
        numeric && TryNumber(value, out double v) ? v.ToString(CultureInfo.InvariantCulture) : value;

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
