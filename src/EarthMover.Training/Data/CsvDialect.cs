using System.Text;
using System.Text.Json.Serialization;

namespace EarthMover.Training.Data;

/// <summary>
/// How a CSV file is written: its delimiter (detected from the first lines unless --delimiter forces it) and its
/// text encoding (--encoding; UTF-8 by default, a byte-order mark wins).
/// </summary>
/// <param name="Delimiter">',', ';', tab or '|'.</param>
/// <param name="Encoding">"utf-8", "latin1" or "windows-1252", as the user types it.</param>
internal sealed record CsvDialect(char Delimiter, string Encoding)
{
    /// <summary>The delimiters that are detected, in order of preference when the first lines fit several.</summary>
    public static readonly char[] Delimiters = [',', ';', '\t', '|'];

    public const string Utf8 = "utf-8";

    /// <summary>The encodings --encoding accepts, as the user types them.</summary>
    public static readonly string[] Encodings = [Utf8, "latin1", "windows-1252"];

    // Lines of a file looked at to detect the delimiter.
    private const int SampleLines = 100;
    private const int SampleChars = 1 << 16;

    /// <summary>Comma-separated UTF-8, the default.</summary>
    public static CsvDialect Default { get; } = new(',', Utf8);

    /// <summary>The delimiter as the user types it on the command line: , ; tab |.</summary>
    [JsonIgnore]
    public string DelimiterName => Delimiter == '\t' ? "tab" : Delimiter.ToString();

    /// <summary>The value of --delimiter: , ; | or tab (also "\t", comma, semicolon, pipe); null when not given.</summary>
    public static char? ParseDelimiter(string? text) => text switch
    {
        null => null,
        "," or "comma" => ',',
        ";" or "semicolon" => ';',
        "tab" or "\\t" or "\t" => '\t',
        "|" or "pipe" => '|',
        _ => throw new UserError($"--delimiter: '{text}' must be one of , ; tab |."),
    };

    /// <summary>The value of --encoding, normalised (utf-8, latin1 or windows-1252).</summary>
    public static string ParseEncoding(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "utf-8" or "utf8" => Utf8,
        "latin1" or "latin-1" or "iso-8859-1" => "latin1",
        "windows-1252" or "cp1252" => "windows-1252",
        _ => throw new UserError($"--encoding: '{text}' must be one of {string.Join(", ", Encodings)}."),
    };

    /// <summary>The decoder of the encoding; UTF-8 is strict, so that a Latin-1 file is reported instead of read as U+FFFD.</summary>
    public Encoding TextEncoding() => Encoding switch
    {
        "latin1" => System.Text.Encoding.Latin1,
        "windows-1252" => CodePages().GetEncoding(1252)!,
        _ => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true),
    };

    /// <summary>The dialect of a file: the given delimiter, or the one its first lines use.</summary>
    public static CsvDialect Of(string path, char? delimiter, string encoding)
    {
        var dialect = new CsvDialect(delimiter ?? ',', encoding);
        if (delimiter is not null)
        {
            return dialect;
        }
        var buffer = new char[SampleChars];
        int read;
        using (var reader = dialect.OpenText(path))
        {
            read = CsvFile.Decoding(path, () => reader.ReadBlock(buffer, 0, buffer.Length));
        }
        return dialect with { Delimiter = Detect(new string(buffer, 0, read), complete: read < buffer.Length) };
    }

    /// <summary>Opens a file as text in this encoding (a byte-order mark wins).</summary>
    public StreamReader OpenText(string path) => new(path, TextEncoding(), detectEncodingFromByteOrderMarks: true);

    /// <summary>
    /// The delimiter of a sample of a file: the candidate found the same number of times (outside quotes) on
    /// every line, most often on the header; else one found on every line; else ','.
    /// </summary>
    /// <param name="sample">The start of the file.</param>
    /// <param name="complete">Whether the sample is the whole file (else its last line may be cut).</param>
    public static char Detect(string sample, bool complete)
    {
        var lines = CountPerLine(sample);
        if (!complete && lines.Count > 1)
        {
            lines.RemoveAt(lines.Count - 1);
        }
        lines = lines.Take(SampleLines).ToList();
        if (lines.Count == 0)
        {
            return ',';
        }
        var header = lines[0];
        var consistent = Enumerable.Range(0, Delimiters.Length)
            .Where(d => header[d] > 0 && lines.All(l => l[d] == header[d]))
            .OrderByDescending(d => header[d]).ThenBy(d => d).ToList();
        if (consistent.Count > 0)
        {
            return Delimiters[consistent[0]];
        }
        var everywhere = Enumerable.Range(0, Delimiters.Length)
            .Where(d => lines.All(l => l[d] > 0))
            .OrderByDescending(d => header[d]).ThenBy(d => d).ToList();
        return everywhere.Count > 0 ? Delimiters[everywhere[0]] : ',';
    }

    // Per non-empty line, how often each candidate delimiter occurs outside double quotes.
    private static List<int[]> CountPerLine(string text)
    {
        var lines = new List<int[]>();
        var counts = new int[Delimiters.Length];
        bool quoted = false, empty = true;
        foreach (char c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
                empty = false;
            }
            else if (!quoted && c is '\n' or '\r')
            {
                if (!empty)
                {
                    lines.Add(counts);
                }
                counts = new int[Delimiters.Length];
                empty = true;
            }
            else if (!quoted)
            {
                int d = Array.IndexOf(Delimiters, c);
                if (d >= 0)
                {
                    counts[d]++;
                    empty = false;
                }
                else
                {
                    empty &= char.IsWhiteSpace(c);
                }
            }
        }
        if (!empty)
        {
            lines.Add(counts);
        }
        return lines;
    }

    private static EncodingProvider CodePages()
    {
        System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return CodePagesEncodingProvider.Instance;
    }
}
