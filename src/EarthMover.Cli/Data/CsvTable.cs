using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace EarthMover.Cli.Data;

/// <summary>A CSV file read whole: a header and rows of cells, with R's NA and empty cells as missing (null).</summary>
internal sealed class CsvTable
{
    private CsvTable(string[] header, List<string?[]> rows)
    {
        Header = header;
        Rows = rows;
    }

    public string[] Header { get; }

    public List<string?[]> Rows { get; }

    public static CsvTable Read(TextReader reader, string source)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectColumnCountChanges = true,
            TrimOptions = TrimOptions.Trim,
            BadDataFound = null,
        };
        using var csv = new CsvReader(reader, config);
        try
        {
            if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } header)
            {
                throw new UserError($"{source} is empty: it has no header row.");
            }
            var rows = new List<string?[]>();
            while (csv.Read())
            {
                var row = new string?[header.Length];
                for (int j = 0; j < header.Length; j++)
                {
                    string? cell = csv.GetField(j);
                    row[j] = cell is null || cell.Length == 0 || cell == "NA" ? null : cell;
                }
                rows.Add(row);
            }
            return new CsvTable(header, rows);
        }
        catch (CsvHelperException e)
        {
            int line = e.Context?.Parser?.Row ?? 0;
            throw new UserError($"{source} is not a valid CSV file (row {line}): {FirstLine(e.Message)}");
        }
    }

    /// <summary>The index of a column, or an error that suggests the nearest name.</summary>
    public int Column(string name, string option)
    {
        int index = Array.IndexOf(Header, name);
        if (index >= 0)
        {
            return index;
        }
        var nearest = Header.OrderBy(h => Distance(h.ToUpperInvariant(), name.ToUpperInvariant())).First();
        throw new UserError($"{option}: there is no column '{name}'; did you mean '{nearest}'? Columns: {string.Join(", ", Header)}.");
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    // Levenshtein distance, for the suggestion.
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
