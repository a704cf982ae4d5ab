namespace EarthMover.Training.Data;

/// <summary>A table with an ordinal target column; the other columns (less --ignore) are features, known by name.</summary>
internal sealed class TabularDataset : Dataset
{
    private readonly string?[][] _rows;
    private readonly string[] _columns;
    private readonly bool[] _numeric;
    private readonly TargetSchema _target;
    private readonly IReadOnlyList<string> _ignored;
    private readonly MissingValues _missing;

    private TabularDataset(string name, int[] labels, string?[][] rows, string[] columns, bool[] numeric, TargetSchema target, IReadOnlyList<string> ignored, MissingValues missing, IReadOnlyList<string> notes)
        : base(name, target.Classes, labels, notes)
    {
        _rows = rows;
        _columns = columns;
        _numeric = numeric;
        _target = target;
        _ignored = ignored;
        _missing = missing;
    }

    public override bool IsImage => false;

    /// <summary>Rows with a missing feature value that reading left out (--missing drop) or kept to be filled in (impute).</summary>
    public int MissingRows { get; private init; }

    /// <summary>The line of the file each sample was read from (the header is line 1); null when not known (aggregated rows, the embedded data's lines are known too).</summary>
    public IReadOnlyList<int>? Lines { get; private init; }

    /// <summary>The feature cells of sample <paramref name="row"/>, in the order of <see cref="Columns"/> (missing ones null).</summary>
    public IReadOnlyList<string?> Cells(int row) => _rows[row];

    /// <summary>What was done with <see cref="MissingRows"/>: the run's --missing policy.</summary>
    public MissingValues MissingPolicy => _missing;

    /// <summary>The feature columns, in order.</summary>
    public IReadOnlyList<string> Columns => _columns;

    /// <summary>Builds a training dataset from a table: the target's classes and each column's kind are inferred here.</summary>
    /// <param name="table">The CSV table.</param>
    /// <param name="name">The dataset's name.</param>
    /// <param name="source">The file, for messages.</param>
    /// <param name="options">--target, --order, --bins, --binning, --ignore, --categorical, --missing.</param>
    public static TabularDataset Create(CsvTable table, string name, string source, DataOptions options)
    {
        var ignoredColumns = IgnoredColumns(table, options.Ignore, source);
        var ignore = ignoredColumns.Select(j => table.Header[j]).Distinct().ToArray();
        var categorical = options.Categorical;
        foreach (var column in categorical)
        {
            table.Column(column, "--categorical");
        }
        // The target: one column of classes, or one column per class (--target-columns).
        string target = options.Target ?? string.Join(",", options.TargetColumns!);
        int[] targetColumns = options.TargetColumns is { } named
            ? named.Select(c => table.Column(c, "--target-columns")).ToArray()
            : [table.Column(target, "--target")];
        int keyColumn = options.AggregateBy is { } key ? table.Column(key, "--aggregate-by") : -1;
        foreach (int j in targetColumns)
        {
            if (ignoredColumns.Contains(j))
            {
                throw new UserError($"--ignore names the target '{table.Header[j]}'.");
            }
        }
        if (keyColumn >= 0 && targetColumns.Contains(keyColumn))
        {
            throw new UserError($"--aggregate-by names the target '{options.AggregateBy}'; it must be another column (the item each row rates).");
        }
        var featureColumns = Enumerable.Range(0, table.Header.Length)
            .Where(j => !targetColumns.Contains(j) && j != keyColumn && !ignoredColumns.Contains(j))
            .ToArray();
        if (featureColumns.FirstOrDefault(j => table.Header[j].Length == 0, -1) is int unnamed and >= 0)
        {
            throw new UserError($"{source}: column {unnamed + 1} of the header (line 1) has no name; R's write.csv puts row numbers there, which as a feature would leak the row order into the model. Leave it out with --ignore \"\" (every unnamed column) or --ignore '#{unnamed + 1}', or give it a name.");
        }
        if (featureColumns.Length == 0)
        {
            throw new UserError(ignore.Length > 0
                ? $"--ignore leaves no feature columns: {source} has only {string.Join(", ", table.Header)}."
                : $"{source} has no feature columns: its only columns are the target{(keyColumn >= 0 ? " and the key" : "")} ('{target}').");
        }
        if (table.Rows.Count == 0)
        {
            throw new UserError($"{name} has a header but no rows.");
        }
        var notes = new List<string>();
        TargetSchema targetSchema;
        List<int> rows;
        int[] labels;
        double[][]? targets = null;
        if (options.TargetColumns is not null)
        {
            rows = Enumerable.Range(0, table.Rows.Count).ToList();
            targets = rows.Select(r => Distribution(table, r, targetColumns, source)).ToArray();
            labels = targets.Select(ArgMax).ToArray();
            targetSchema = TargetSchema.ForColumns(options.TargetColumns.ToArray());
            notes.Add($"targets: the {Plural.Of(targetColumns.Length, "column")} {string.Join(", ", options.TargetColumns)} of each row, divided by their sum");
        }
        else
        {
            int targetColumn = targetColumns[0];

            // Rows without a target cannot be used at all.
            rows = Enumerable.Range(0, table.Rows.Count).Where(r => table.Rows[r][targetColumn] is not null).ToList();
            if (rows.Count < table.Rows.Count)
            {
                notes.Add($"dropped {Plural.Of(table.Rows.Count - rows.Count, "row")} with no '{target}' value");
            }
            if (rows.Count == 0)
            {
                throw new UserError($"{name}: no row has a '{target}' value.");
            }
            targetSchema = TargetSchema.Infer(target, rows.Select(r => table.Rows[r][targetColumn]!).ToArray(), rows.Select(r => table.Lines[r]).ToArray(), options.Order, options.Bins, options.Binning, notes);
            labels = new int[rows.Count];
            for (int i = 0; i < rows.Count; i++)
            {
                string value = table.Rows[rows[i]][targetColumn]!;
                labels[i] = targetSchema.ClassOf(value) ?? throw targetSchema.NotAClass(value, table.Lines[rows[i]], source);
            }
        }

        // Numeric columns hold only numbers; a column mixing numbers and text is an error unless declared categorical.
        var numeric = new bool[featureColumns.Length];
        var wide = new List<string>();
        for (int f = 0; f < featureColumns.Length; f++)
        {
            int j = featureColumns[f];
            string column = table.Header[j];
            int present = 0, numbers = 0, text = -1;
            foreach (int r in rows)
            {
                if (table.Rows[r][j] is { } cell)
                {
                    present++;
                    if (TargetSchema.TryNumber(cell, out _))
                    {
                        numbers++;
                    }
                    else if (text < 0)
                    {
                        text = r;
                    }
                }
            }
            numeric[f] = !categorical.Contains(column) && present > 0 && numbers == present;
            bool decimalCommas = text >= 0 && rows.All(r => table.Rows[r][j] is not { } cell || TargetSchema.TryNumber(cell.Replace(',', '.'), out _));
            if (!categorical.Contains(column) && numbers > 0 && numbers < present)
            {
                string hint = decimalCommas ? " (a decimal comma: write numbers with decimal points)" : "";
                throw new UserError($"column '{column}' mixes numbers and text (line {table.Lines[text]}: '{table.Rows[text][j]}'{hint}); fix the value, or pass --categorical {column} to treat it as categories.");
            }
            if (!numeric[f] && decimalCommas && !categorical.Contains(column))
            {
                notes.Add($"column '{column}' holds numbers with decimal commas ('{table.Rows[text][j]}'), read as categories; write them with decimal points to use them as numbers");
            }
            if (!numeric[f] && rows.Select(r => table.Rows[r][j]).Distinct().Take(FeatureEncoder.OneHotLimit + 1).Count() > FeatureEncoder.OneHotLimit)
            {
                wide.Add(column);
            }
        }

        // Missing feature values: drop or impute, and say how many.
        var keep = Enumerable.Range(0, rows.Count).ToList();
        int incomplete = rows.Count(r => featureColumns.Any(j => table.Rows[r][j] is null));
        if (incomplete > 0)
        {
            if (options.Missing == MissingValues.Drop)
            {
                keep = keep.Where(i => featureColumns.All(j => table.Rows[rows[i]][j] is not null)).ToList();
                notes.Add($"dropped {Plural.Of(incomplete, "row")} with missing feature values (--missing impute keeps them)");
            }
            else
            {
                notes.Add($"imputed missing values in {Plural.Of(incomplete, "row")} (numeric: training mean; categorical: '{FeatureEncoder.MissingLevel}')");
            }
        }
        if (keep.Count == 0)
        {
            throw new UserError($"{name}: no rows are left after removing rows with missing values; try --missing impute.");
        }
        var featureRows = keep.Select(i => featureColumns.Select(j => table.Rows[rows[i]][j]).ToArray()).ToArray();
        var keptLabels = keep.Select(i => labels[i]).ToArray();
        var keptTargets = targets is null ? null : keep.Select(i => targets[i]).ToArray();
        if (keyColumn >= 0)
        {
            (featureRows, keptLabels, keptTargets) = Aggregate(table, keep.Select(i => rows[i]).ToArray(), keyColumn, featureRows, keptLabels, targetSchema.Classes.Length, options.AggregateBy!, notes);
        }
        int categories = numeric.Count(n => !n);
        notes.Add($"{Plural.Of(featureColumns.Length, "feature column")}: {numeric.Count(n => n)} numeric (standardised), {categories} categorical ({(wide.Count == 0 ? "one-hot" : $"one-hot; embedded above {FeatureEncoder.OneHotLimit} levels: {string.Join(", ", wide)}")})");
        return new TabularDataset(name, keptLabels, featureRows, featureColumns.Select(j => table.Header[j]).ToArray(), numeric, targetSchema, ignore, options.Missing, notes) { Targets = keptTargets, MissingRows = incomplete, Lines = keyColumn >= 0 ? null : keep.Select(i => table.Lines[rows[i]]).ToArray() };
    }

    // The columns --ignore names: by name, "" for every column without a name, or #N for the N-th column (from 1).
    private static HashSet<int> IgnoredColumns(CsvTable table, IReadOnlyList<string> ignore, string source)
    {
        var columns = new HashSet<int>();
        foreach (var item in ignore)
        {
            if (item.Length == 0)
            {
                var unnamed = Enumerable.Range(0, table.Header.Length).Where(j => table.Header[j].Length == 0).ToArray();
                columns.UnionWith(unnamed.Length > 0 ? unnamed : throw new UserError($"--ignore \"\": {source} has no column without a name."));
            }
            else if (item.StartsWith('#') && int.TryParse(item.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int position) && Array.IndexOf(table.Header, item) < 0)
            {
                columns.Add(position >= 1 && position <= table.Header.Length ? position - 1 : throw new UserError($"--ignore {item}: {source} has columns #1 to #{table.Header.Length}."));
            }
            else
            {
                columns.Add(table.Column(item, "--ignore"));
            }
        }
        return columns;
    }

    // One row's target distribution from --target-columns: numbers >= 0, not all zero, divided by their sum.
    private static double[] Distribution(CsvTable table, int r, int[] columns, string source)
    {
        int line = table.Lines[r];
        var values = new double[columns.Length];
        for (int k = 0; k < columns.Length; k++)
        {
            string column = table.Header[columns[k]];
            string? cell = table.Rows[r][columns[k]];
            if (cell is null || !TargetSchema.TryNumber(cell, out double value) || !(value >= 0) || double.IsInfinity(value))
            {
                throw new UserError($"{source} line {line}: --target-columns '{column}' holds '{cell ?? ""}'; each target column needs a count or probability >= 0.");
            }
            values[k] = value;
        }
        double total = values.Sum();
        if (!(total > 0))
        {
            throw new UserError($"{source} line {line}: the --target-columns sum to 0, so the row has no target distribution; remove the row or fix its counts.");
        }
        return values.Select(v => v / total).ToArray();
    }

    // The most likely class of a distribution, the lowest on ties.
    private static int ArgMax(double[] t)
    {
        int best = 0;
        for (int k = 1; k < t.Length; k++)
        {
            best = t[k] > t[best] ? k : best;
        }
        return best;
    }

    // --aggregate-by: the rows sharing a key become one sample (in the order keys first appear), with the
    // features of the key's first row and the histogram of the rows' classes as its target.
    private static (string?[][] Features, int[] Labels, double[][] Targets) Aggregate(CsvTable table, int[] tableRows, int keyColumn, string?[][] features, int[] labels, int classes, string key, List<string> notes)
    {
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var order = new List<string>();
        int unkeyed = 0;
        for (int i = 0; i < tableRows.Length; i++)
        {
            if (table.Rows[tableRows[i]][keyColumn] is not { } value)
            {
                unkeyed++;
                continue;
            }
            if (!groups.TryGetValue(value, out var members))
            {
                groups[value] = members = [];
                order.Add(value);
            }
            members.Add(i);
        }
        if (order.Count == 0)
        {
            throw new UserError($"--aggregate-by {key}: no row has a '{key}' value.");
        }
        if (unkeyed > 0)
        {
            notes.Add($"dropped {Plural.Of(unkeyed, "row")} with no '{key}' value");
        }
        int disagreeing = order.Count(k => groups[k].Any(i => !features[i].SequenceEqual(features[groups[k][0]])));
        var targets = order.Select(k =>
        {
            var histogram = new double[classes];
            foreach (int i in groups[k])
            {
                histogram[labels[i]] += 1.0 / groups[k].Count;
            }
            return histogram;
        }).ToArray();
        notes.Add($"aggregated {Plural.Of(tableRows.Length - unkeyed, "row")} by '{key}' into {Plural.Of(order.Count, "item")}, each with the histogram of its rows' classes as target{(disagreeing > 0 ? $"; {Plural.Of(disagreeing, "item")} whose rows differ in their features take their first row's" : "")}");
        return (order.Select(k => features[groups[k][0]]).ToArray(), targets.Select(ArgMax).ToArray(), targets);
    }

    /// <summary>
    /// A labelled table to score with a trained run: columns matched to the run's schema by name, labels read as
    /// training read them; rows without a label, and under --missing drop rows with missing features, are left out.
    /// </summary>
    public static TabularDataset ForSchema(CsvTable table, string name, string source, DataSchema schema)
    {
        var reader = new SchemaReader(schema, table.Header, source, requireTarget: true);
        var notes = new List<string>();
        if (reader.ExtraNote is { } extra)
        {
            notes.Add(extra);
        }
        var rows = new List<string?[]>();
        var labels = new List<int>();
        int unlabelled = 0, incomplete = 0, imputed = 0;
        for (int r = 0; r < table.Rows.Count; r++)
        {
            int line = table.Lines[r];
            var cells = reader.Features(table.Rows[r], line);
            if (reader.Label(table.Rows[r], line) is not int label)
            {
                unlabelled++;
                continue;
            }
            if (cells.Any(c => c is null))
            {
                if (schema.Features.Missing == MissingValues.Drop)
                {
                    incomplete++;
                    continue;
                }
                imputed++;
            }
            rows.Add(cells);
            labels.Add(label);
        }
        if (unlabelled > 0)
        {
            notes.Add($"left out {Plural.Of(unlabelled, "row")} with no '{schema.Target.Column}' value");
        }
        if (incomplete > 0)
        {
            notes.Add($"left out {Plural.Of(incomplete, "row")} with missing feature values (the run was trained with --missing drop; predict leaves them empty too)");
        }
        if (imputed > 0)
        {
            notes.Add($"imputed missing values in {Plural.Of(imputed, "row")} (the run was trained with --missing impute; numeric: training mean; categorical: '{FeatureEncoder.MissingLevel}')");
        }
        if (rows.Count == 0)
        {
            throw new UserError($"{source} has no row to score.");
        }
        var columns = schema.Features.Columns;
        return new TabularDataset(name, [.. labels], [.. rows], columns.Select(c => c.Name).ToArray(), columns.Select(c => c.Kind == FeatureKind.Numeric).ToArray(), schema.Target, schema.Ignored, schema.Features.Missing, notes) { MissingRows = incomplete + imputed };
    }

    /// <summary>A subset of the rows (in the order of <paramref name="rows"/>).</summary>
    public TabularDataset Subset(IReadOnlyList<int> rows, string note) =>
        new(Name, rows.Select(r => Labels[r]).ToArray(), rows.Select(r => _rows[r]).ToArray(), _columns, _numeric, _target, _ignored, _missing, [.. Notes, note]) { Files = Files, Dialect = Dialect, Targets = Targets is null ? null : rows.Select(r => Targets[r]).ToArray(), Lines = Lines is null ? null : rows.Select(r => Lines[r]).ToArray() };

    internal override FeatureEncoder Fit(IReadOnlyList<int> trainRows)
    {
        var columns = new FeatureColumn[_columns.Length];
        for (int f = 0; f < _columns.Length; f++)
        {
            if (_numeric[f])
            {
                var values = trainRows.Select(r => _rows[r][f]).Where(v => v is not null).Select(v => double.Parse(v!, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                double mean = values.Length == 0 ? 0 : values.Average();
                double sd = values.Length < 2 ? 1 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
                columns[f] = FeatureColumn.Numeric(_columns[f], mean, sd > 0 ? sd : 1);
            }
            else
            {
                var levels = trainRows.Select(r => _rows[r][f] ?? FeatureEncoder.MissingLevel).Distinct().OrderBy(c => c, StringComparer.Ordinal).ToArray();
                columns[f] = FeatureColumn.Categorical(_columns[f], levels);
            }
        }
        return new FeatureEncoder(false, columns, _missing);
    }

    internal override float[] Encode(FeatureEncoder encoder, IReadOnlyList<int> rows) => Encode(encoder, rows, null);

    /// <summary>The encoded features of <paramref name="rows"/>; the encoder's columns are found by name.</summary>
    public float[] Encode(FeatureEncoder encoder, IReadOnlyList<int> rows, EncodingStats? stats)
    {
        var position = encoder.Columns.Select(c => Array.IndexOf(_columns, c.Name)).ToArray();
        var missing = encoder.Columns.Where((c, i) => position[i] < 0).Select(c => $"'{c.Name}'").ToArray();
        if (missing.Length > 0)
        {
            throw new UserError($"{Name} lacks the columns the model reads: {string.Join(", ", missing)}.");
        }
        int width = encoder.Width;
        var result = new float[(long)rows.Count * width];
        var cells = new string?[position.Length];
        for (int i = 0; i < rows.Count; i++)
        {
            var row = _rows[rows[i]];
            for (int c = 0; c < cells.Length; c++)
            {
                cells[c] = row[position[c]];
            }
            encoder.Encode(cells, result.AsSpan(i * width, width), stats);
        }
        return result;
    }

    internal override DataSchema Schema(FeatureEncoder encoder) => new(Files, Dialect, _target, encoder, _ignored);
}
