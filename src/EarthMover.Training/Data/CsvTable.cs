namespace EarthMover.Training.Data;

/// <summary>Rows of a CSV file: its header, the cells (missing ones null) and the line where each row starts (the header is line 1).</summary>
internal sealed class CsvTable
{
    public CsvTable(string[] header, List<string?[]> rows, List<int> lines)
    {
        Header = header;
        Rows = rows;
        Lines = lines;
    }

    public string[] Header { get; }

    public List<string?[]> Rows { get; }

    /// <summary>The line of the file where each row starts.</summary>
    public List<int> Lines { get; }

    /// <summary>A whole file, read in the given dialect.</summary>
    public static CsvTable Read(string path, CsvDialect dialect)
    {
        using var file = CsvFile.Open(path, dialect);
        return file.ReadRows(int.MaxValue);
    }

    /// <summary>Comma-separated text, read whole.</summary>
    public static CsvTable Read(TextReader reader, string source)
    {
        using var file = CsvFile.Open(reader, source);
        return file.ReadRows(int.MaxValue);
    }

    /// <summary>The index of a column, or an error that suggests the nearest name.</summary>
    public int Column(string name, string option)
    {
        int index = Array.IndexOf(Header, name);
        if (index >= 0)
        {
            return index;
        }
        throw new UserError($"{option}: there is no column '{name}'; did you mean '{Nearest(Header, name)}'? Columns: {string.Join(", ", Header)}.");
    }

    /// <summary>The name among <paramref name="names"/> closest to <paramref name="name"/> (edit distance, ignoring case; see Suggestions.Distance).</summary>
    public static string Nearest(IEnumerable<string> names, string name) =>
        names.OrderBy(h => Suggestions.Distance(h.ToUpperInvariant(), name.ToUpperInvariant())).First();

    /// <summary>The name among <paramref name="names"/> within a third of its length in edits of <paramref name="name"/> (ignoring case), or null.</summary>
    public static string? Similar(IEnumerable<string> names, string name) =>
        names.Select(n => (Name: n, Distance: Suggestions.Distance(n.ToUpperInvariant(), name.ToUpperInvariant())))
            .Where(p => p.Distance <= Math.Max(1, name.Length / 3)).OrderBy(p => p.Distance).Select(p => p.Name).FirstOrDefault();
}
