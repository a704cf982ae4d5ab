using System.Text;
using System.Text.Json;
using EarthMover.Training;
using EarthMover.Training.Data;

namespace EarthMover.Tests.Cli;

/// <summary>CSV dialects: detected delimiters, --delimiter, --encoding, byte-order marks, quotes, NA, and messages that say "line N".</summary>
[Collection(nameof(CliTests))]
public class CsvDialectTests
{
    [Theory]
    [InlineData("a,b,c\n1,2,3\n4,5,6\n", ',')]
    [InlineData("a;b;c\n1,5;2;3\n4;5,5;6\n", ';')]
    [InlineData("a\tb\tc\n1\t2\t3\n", '\t')]
    [InlineData("a|b|c\n1|2|3\n", '|')]
    [InlineData("a;b\n\"x;y\";1\n\"z\";2\n", ';')]
    [InlineData("\"a,b\";c\n\"1,2\";3\n", ';')]
    [InlineData("name,note\nx,\"one; two; three\"\ny,\"four\nfive; six\"\n", ',')]
    [InlineData("single\n1\n2\n", ',')]
    [InlineData("", ',')]
    public void Detects_the_delimiter_from_the_first_lines(string sample, char expected) =>
        Assert.Equal(expected, CsvDialect.Detect(sample, complete: true));

    [Fact]
    public void A_cut_last_line_does_not_decide() =>
        Assert.Equal(';', CsvDialect.Detect("a;b;c\n1;2;3\n4;5", complete: false));

    [Theory]
    [InlineData(';')]
    [InlineData('\t')]
    [InlineData('|')]
    public void Semicolon_tab_and_pipe_files_train_the_same_model_as_the_comma_file(char delimiter)
    {
        string comma = CliRunner.TempFolder();
        string other = CliRunner.TempFolder();
        string file = TestTables.Write("hpc.txt", TestTables.Text(TestTables.Cells(TestTables.Hpc), delimiter));
        string[] common = ["train", "--target", "class", "--order", "VF,F,M,L", "--epochs", "1", "-q"];
        Assert.Equal(0, CliRunner.Run([.. common, "--data", TestTables.Hpc, "-o", comma]).Exit);
        var (exit, output, error) = CliRunner.Run([.. common, "--data", file, "-o", other]);
        Assert.True(exit == 0, error);
        Assert.Contains($"delimiter {(delimiter == '\t' ? "tab" : delimiter.ToString())} (detected", TestTables.Plain(output), StringComparison.Ordinal);
        Assert.Equal(Checkpoint.ReadWeights(Path.Combine(comma, "model.bin")), Checkpoint.ReadWeights(Path.Combine(other, "model.bin")));
    }

    [Fact]
    public void Delimiter_option_forces_the_delimiter()
    {
        // As many commas as semicolons on every line: detection takes the comma; --delimiter ';' makes "b,c,d" one column.
        Assert.Equal(',', CsvDialect.Detect("a;b,c,d;y\n1;x,1,2;p\n", complete: true));
        string file = TestTables.Write("forced.csv", "a;b,c,d;y\n1;x,1,2;p\n2;x,2,2;q\n3;x,1,2;p\n4;x,2,2;q\n5;x,1,2;p\n6;x,2,2;q\n7;x,1,2;p\n8;x,2,2;q\n");
        string run = CliRunner.TempFolder();
        var (exit, _, error) = CliRunner.Run("train", "--data", file, "--delimiter", ";", "--target", "y", "--order", "p,q", "--epochs", "1", "--validation", "0.25", "--test", "0.25", "-o", run, "-q");
        Assert.True(exit == 0, error);
        var features = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "schema.json"))).RootElement.GetProperty("Features").GetProperty("Columns");
        Assert.Equal(["a", "b,c,d"], features.EnumerateArray().Select(c => c.GetProperty("Name").GetString()));
    }

    [Fact]
    public void A_latin1_file_is_refused_as_utf8_at_its_line_and_read_with_encoding_latin1()
    {
        var rows = new StringBuilder("city,x,y\n");
        for (int i = 0; i < 12; i++)
        {
            rows.Append(i % 2 == 0 ? "Köln" : "Zürich").Append(',').Append(i).Append(',').Append(i % 3 == 0 ? "lo" : "hi").Append('\n');
        }
        string file = TestTables.Write("latin1.csv", rows.ToString(), Encoding.Latin1);
        var (exit, _, error) = CliRunner.Run("train", "--data", file, "--target", "y", "--order", "lo,hi", "--epochs", "1", "-o", CliRunner.TempFolder(), "-q");
        Assert.Equal(2, exit);
        Assert.Contains("latin1.csv, line 2: byte 0xF6 is not valid UTF-8; if the file is Latin-1 or Windows-1252, pass --encoding latin1", error, StringComparison.Ordinal);

        string run = CliRunner.TempFolder();
        var read = CliRunner.Run("train", "--data", file, "--encoding", "latin1", "--target", "y", "--order", "lo,hi", "--epochs", "1", "--validation", "0.25", "--test", "0.25", "-o", run, "-q");
        Assert.True(read.Exit == 0, read.Error);
        Assert.Contains("\"Köln\"", File.ReadAllText(Path.Combine(run, "schema.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Byte_order_mark_crlf_quotes_and_na_are_read_as_intended()
    {
        // A UTF-8 BOM before the first column name, CRLF line ends, quoted cells with the delimiter, a quote and a
        // line break inside, and NA and empty cells as missing.
        var text = new StringBuilder("\"size\",\"kind\",\"grade\"\r\n");
        for (int i = 0; i < 20; i++)
        {
            string kind = (i % 4) switch { 0 => "\"a, b\"", 1 => "\"say \"\"hi\"\"\"", 2 => "\"two\nlines\"", _ => "NA" };
            text.Append(i == 5 ? "" : i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(',').Append(kind).Append(',').Append(i % 2 == 0 ? "low" : "high").Append("\r\n");
        }
        string file = TestTables.Write("dialect.csv", text.ToString(), new UTF8Encoding(true));
        Assert.Equal([0xEF, 0xBB, 0xBF, (byte)'"'], File.ReadAllBytes(file)[..4]);
        using var csv = CsvFile.Open(file, CsvDialect.Of(file, null, CsvDialect.Utf8));
        Assert.Equal(["size", "kind", "grade"], csv.Header);
        var table = csv.ReadRows(int.MaxValue);
        Assert.Equal(20, table.Rows.Count);
        Assert.Equal(new string?[] { "0", "a, b", "low" }, table.Rows[0]);
        Assert.Equal("say \"hi\"", table.Rows[1][1]);
        Assert.Equal("two\nlines", table.Rows[2][1]);
        Assert.Null(table.Rows[3][1]);
        Assert.Null(table.Rows[5][0]);
        // Lines: the header is line 1; the record with a line break inside takes two lines.
        Assert.Equal([2, 3, 4, 6, 7, 8, 9, 11], table.Lines.Take(8));

        string run = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run("train", "--data", file, "--target", "grade", "--order", "low,high", "--missing", "impute", "--epochs", "1", "--validation", "0.25", "--test", "0.25", "-o", run, "-q");
        Assert.True(exit == 0, error);
        Assert.Contains("imputed missing values in 6 rows", TestTables.Plain(output), StringComparison.Ordinal);
        var dropped = CliRunner.Run("train", "--data", file, "--target", "grade", "--order", "low,high", "--epochs", "1", "--validation", "0.25", "--test", "0.25", "-o", CliRunner.TempFolder(), "-q");
        Assert.Contains("dropped 6 rows with missing feature values", TestTables.Plain(dropped.Output), StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_name_the_line_of_the_file()
    {
        // Line 4 starts after a quoted cell that spans lines 2 and 3.
        string fields = TestTables.Write("fields.csv", "x,y,z\n1,\"a\nb\",p\n2,c,q,extra\n");
        Assert.Contains("fields.csv, line 4: 4 fields where the header has 3", TestTables.TrainFails("--data", fields, "--target", "z"), StringComparison.Ordinal);
        string mixed = TestTables.Write("mixed.csv", "x,y\n1,a\n2,b\nthree,a\n");
        Assert.Contains("(line 4: 'three')", TestTables.TrainFails("--data", mixed, "--target", "y", "--order", "a,b"), StringComparison.Ordinal);
        string label = TestTables.Write("label.csv", "x,y\n1,a\n2,b\n3,c\n");
        Assert.Contains("label.csv, line 4: the 'y' value 'c' is not one of a, b", TestTables.TrainFails("--data", label, "--target", "y", "--order", "a,b"), StringComparison.Ordinal);
        string twice = TestTables.Write("twice.csv", "x,x,y\n1,2,a\n");
        Assert.Contains("names the column 'x' 2 times", TestTables.TrainFails("--data", twice, "--target", "y"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--delimiter", "colon", "--delimiter: 'colon' must be one of , ; tab |")]
    [InlineData("--encoding", "utf-7", "--encoding: 'utf-7' must be one of utf-8, latin1, windows-1252")]
    [InlineData("--missing", "sometimes", "--missing: 'sometimes' must be drop or impute")]
    [InlineData("--class-names", "a,b,c,d", "--class-names names the classes of image data")]
    [InlineData("--labels", "labels.idx", "--labels goes with an IDX images file")]
    public void Bad_dialect_options_are_one_line_with_exit_2_and_no_folder(string option, string value, string expected)
    {
        string run = CliRunner.TempFolder();
        Assert.Contains(expected, TestTables.TrainFails("--data", TestTables.Hpc, "--target", "class", "--order", "VF,F,M,L", option, value, "-o", run), StringComparison.Ordinal);
        Assert.True(!Directory.Exists(run) || Directory.GetFileSystemEntries(run).Length == 0);
    }
}
