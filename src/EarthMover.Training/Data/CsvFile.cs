using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using CsvHelper;
using CsvHelper.Configuration;

namespace EarthMover.Training.Data;

/// <summary>
/// A CSV file read in chunks of rows (so that a large file never has to fit in memory), with R's NA and empty
/// cells as missing (null). Every message about a row names its line of the file, the header being line 1.
/// </summary>
internal sealed class CsvFile : IDisposable
{
    private readonly TextReader _text;
    private readonly CsvReader _csv;
    private readonly string? _path;
    private int _lastLine;

    private CsvFile(TextReader text, string source, string? path, char delimiter)
    {
        _text = text;
        _path = path;
        Source = source;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter.ToString(),
            TrimOptions = TrimOptions.Trim,
            BadDataFound = null,
        };
        _csv = new CsvReader(text, config);
        try
        {
            if (!Decoding(path, _csv.Read) || !_csv.ReadHeader() || _csv.HeaderRecord is not { Length: > 0 } header || header.All(h => h.Length == 0))
            {
                throw new UserError($"{source} is empty: it has no header row.");
            }
            Header = header;
            _lastLine = _csv.Parser.RawRow;
        }
        catch
        {
            Dispose();
            throw;
        }
        // Columns without a name (R's row numbers) are refused or left out by --ignore when the table is read.
        var twice = Header.Where(h => h.Length > 0).GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            Dispose();
            throw new UserError($"{source}: the header (line 1) names the column '{twice.Key}' {twice.Count()} times; columns are matched by name, so each name must be unique.");
        }
    }

    /// <summary>The column names of the header (line 1).</summary>
    public string[] Header { get; } = [];

    /// <summary>The file's name in messages.</summary>
    public string Source { get; }

    /// <summary>Opens a file in the given dialect and reads its header.</summary>
    public static CsvFile Open(string path, CsvDialect dialect) =>
        new(dialect.OpenText(path), path, path, dialect.Delimiter);

    /// <summary>Reads CSV text (comma-separated) and its header.</summary>
    public static CsvFile Open(TextReader reader, string source) => new(reader, source, null, ',');

    /// <summary>The next rows, at most <paramref name="max"/>; none when the file is done.</summary>
    public CsvTable ReadRows(int max)
    {
        var rows = new List<string?[]>();
        var lines = new List<int>();
        try
        {
            while (rows.Count < max && Decoding(_path, _csv.Read))
            {
                int line = StartLine();
                CheckQuotesClosed();
                if (_csv.Parser.Count != Header.Length)
                {
                    throw new UserError($"{Source}, line {line}: {Plural.Of(_csv.Parser.Count, "field")} where the header has {Header.Length}.");
                }
                var row = new string?[Header.Length];
                for (int j = 0; j < row.Length; j++)
                {
                    string? cell = _csv.Parser[j];
                    row[j] = cell is null || cell.Length == 0 || cell == "NA" ? null : cell;
                }
                rows.Add(row);
                lines.Add(line);
            }
        }
        catch (CsvHelperException e)
        {
            throw new UserError($"{Source}, line {e.Context?.Parser?.RawRow ?? _lastLine + 1}: not valid CSV ({e.Message.Split('\n')[0].Trim()}).");
        }
        return new CsvTable(Header, rows, lines);
    }

    public void Dispose()
    {
        _csv.Dispose();
        _text.Dispose();
    }

    /// <summary>Runs a read; a byte sequence the encoding cannot decode becomes one line naming its line of the file.</summary>
    public static T Decoding<T>(string? path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when ((e as DecoderFallbackException ?? e.InnerException as DecoderFallbackException) is not null)
        {
            if (path is null)
            {
                throw new UserError("the data is not valid UTF-8.");
            }
            var (line, value) = FirstInvalidUtf8(path);
            throw new UserError($"{path}, line {line}: byte 0x{value:X2} is not valid UTF-8; if the file is Latin-1 or Windows-1252, pass --encoding latin1 or --encoding windows-1252.");
        }
    }

    // The line where the current record starts: the parser counts the line where it ends, and a quoted field
    // may span lines.
    private int StartLine()
    {
        int end = _csv.Parser.RawRow;
        int start = end;
        if (end - _lastLine > 1)
        {
            var record = _csv.Parser.RawRecord.TrimEnd('\r', '\n');
            start = end - record.Count(c => c == '\n');
        }
        _lastLine = end;
        return start;
    }

    // A quote that is never closed makes the rest of the file one value (the parser reads on to the end): say
    // where it was opened, rather than report the line where that swallowed record happens to end. A record
    // with an odd number of quote characters that spans lines is exactly that case (escaped quotes come in
    // pairs; a stray quote inside an unquoted value does not start a quoted one).
    // Such a record ends at the end of the file, and the parser then counts its last line break too: the line
    // where it starts is the line count less every line break in it.
    private void CheckQuotesClosed()
    {
        string raw = _csv.Parser.RawRecord;
        if (raw.TrimEnd('\r', '\n').Contains('\n') && raw.Count(c => c == '"') % 2 == 1)
        {
            int line = _csv.Parser.RawRow - raw.Count(c => c == '\n');
            throw new UserError($"{Source}, line {line}: a quote (\") opened on this line is never closed, so everything after it, to the end of the file, reads as one value; close the quote or remove it.");
        }
    }

    // The line and value of the first byte of a file that does not decode as UTF-8.
    private static (int Line, byte Value) FirstInvalidUtf8(string path)
    {
        using var stream = File.OpenRead(path);
        var bytes = new byte[1 << 20];
        var chars = new char[bytes.Length];
        int carry = 0, line = 1;
        while (true)
        {
            int read = stream.Read(bytes, carry, bytes.Length - carry);
            int length = carry + read;
            var status = Utf8.ToUtf16(bytes.AsSpan(0, length), chars, out int used, out _, replaceInvalidSequences: false, isFinalBlock: read == 0);
            line += bytes.AsSpan(0, used).Count((byte)'\n');
            if (status == OperationStatus.InvalidData)
            {
                return (line, bytes[used]);
            }
            if (read == 0)
            {
                return (line, 0);
            }
            carry = length - used;
            Array.Copy(bytes, used, bytes, 0, carry);
        }
    }
}
