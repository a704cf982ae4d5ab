namespace EarthMover.Training.Data;

/// <summary>
/// Reads rows of a new CSV file the way a run's model expects them: feature columns matched by name in any
/// order (a missing one is an error naming all of them; extra ones are listed once and ignored), numbers
/// checked, and labels read as training read them when the target column is there.
/// </summary>
internal sealed class SchemaReader
{
    private readonly DataSchema _schema;
    private readonly string _source;
    private readonly int[] _features;
    private readonly int _target;
    private readonly int _id;

    /// <param name="schema">The run's schema.</param>
    /// <param name="header">The new file's header.</param>
    /// <param name="source">The file, for messages.</param>
    /// <param name="requireTarget">Whether the target column must be there (evaluate) or may be (predict).</param>
    /// <param name="id">--id: a column to copy into each prediction, or null.</param>
    public SchemaReader(DataSchema schema, string[] header, string source, bool requireTarget, string? id = null)
    {
        _schema = schema;
        _source = source;
        // Columns without a name (R's row numbers) are never features; several of them must not clash here.
        var position = header.Select((name, j) => (name, j)).Where(p => p.name.Length > 0).ToDictionary(p => p.name, p => p.j, StringComparer.Ordinal);
        var columns = schema.Features.Columns;
        var missing = columns.Where(c => !position.ContainsKey(c.Name)).Select(c => c.Name).ToArray();
        if (missing.Length > 0)
        {
            var others = header.Where(h => !columns.Any(c => c.Name == h) && h != schema.Target.Column && !schema.Ignored.Contains(h)).ToArray();
            string? nearest = CsvTable.Similar(others, missing[0]);
            string suggestion = nearest is null ? "" : $" (is '{nearest}' '{missing[0]}'?)";
            throw new UserError($"{source} lacks {(missing.Length == 1 ? "the column" : "the columns")} the model reads: {string.Join(", ", missing.Select(m => $"'{m}'"))}{suggestion}.");
        }
        _features = columns.Select(c => position[c.Name]).ToArray();
        string? targetColumn = schema.Target.Column;
        _target = targetColumn is not null && position.TryGetValue(targetColumn, out int t) ? t : -1;
        if (requireTarget && _target < 0)
        {
            throw new UserError($"{source} has no '{targetColumn}' column (the run's target), so it cannot be scored; earthmover predict works without it.");
        }
        _id = -1;
        if (id is not null)
        {
            _id = position.TryGetValue(id, out int i) ? i
                : throw new UserError($"--id: {source} has no column '{id}'{(CsvTable.Similar(header, id) is { } near ? $"; did you mean '{near}'?" : $" (columns: {string.Join(", ", header)}).")}");
        }
        var known = columns.Select(c => c.Name).Append(targetColumn).Concat(schema.Ignored).Append(id).ToHashSet(StringComparer.Ordinal);
        Extra = header.Where(h => !known.Contains(h)).ToArray();
    }

    /// <summary>Columns of the file the model does not read (and are not the target, the id or --ignore'd).</summary>
    public IReadOnlyList<string> Extra { get; }

    /// <summary>Whether the file has the target column.</summary>
    public bool Labelled => _target >= 0;

    /// <summary>The note about ignored columns, or null.</summary>
    public string? ExtraNote => Extra.Count == 0 ? null : $"ignored {Plural.Of(Extra.Count, "column")} the model does not read: {string.Join(", ", Extra)}";

    /// <summary>The row's feature cells in the schema's order; numeric cells are checked.</summary>
    public string?[] Features(string?[] row, int line)
    {
        var columns = _schema.Features.Columns;
        var cells = new string?[_features.Length];
        for (int f = 0; f < cells.Length; f++)
        {
            string? cell = row[_features[f]];
            if (cell is not null && columns[f].Kind == FeatureKind.Numeric && !TargetSchema.TryNumber(cell, out _))
            {
                throw new UserError($"{_source}, line {line}: '{cell}' in column '{columns[f].Name}' is not a number (the model reads '{columns[f].Name}' as numeric).");
            }
            cells[f] = cell;
        }
        return cells;
    }

    /// <summary>The row's class, null when its target cell is missing (or the file has no target column).</summary>
    public int? Label(string?[] row, int line)
    {
        if (_target < 0 || row[_target] is not { } value)
        {
            return null;
        }
        return _schema.Target.ClassOf(value) ?? throw _schema.Target.NotAClass(value, line, _source);
    }

    /// <summary>The row's id: the --id cell, else the row number (the first data row is 1).</summary>
    public string Id(string?[] row, long rowNumber) =>
        _id >= 0 ? row[_id] ?? "" : rowNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
