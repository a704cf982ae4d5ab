namespace EarthMover.Tests.Cli;

/// <summary>
/// A CSV whose header starts with an empty cell (R's write.csv, row numbers in that column): the unnamed column
/// is refused as a feature, with its position and the --ignore that leaves it out, because row numbers of a table
/// sorted by the target would leak the answer; --ignore "" (or #1) leaves it out, and predict reads such a file.
/// </summary>
[Collection(nameof(CliTests))]
public class UnnamedColumnTests
{
    // hpc_data.csv as R writes it: an unnamed first column with the row numbers, rows sorted by class.
    private static string RowNumbered()
    {
        var lines = File.ReadAllLines(TestTables.Hpc);
        var rows = lines.Skip(1).OrderBy(l => l.Split(',')[^1], StringComparer.Ordinal).Select((l, i) => $"\"{i + 1}\",{l}");
        return TestTables.Write("r.csv", string.Join('\n', rows.Prepend("\"\"," + lines[0])) + "\n");
    }

    [Fact]
    public void An_unnamed_column_is_refused_with_its_position_and_the_ignore_that_leaves_it_out()
    {
        string error = TestTables.TrainFails("--data", RowNumbered(), "--target", "class", "--order", "VF,F,M,L");
        Assert.Contains("r.csv: column 1 of the header (line 1) has no name", error, StringComparison.Ordinal);
        Assert.Contains("--ignore \"\"", error, StringComparison.Ordinal);
        Assert.Contains("--ignore '#1'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("#1")]
    public void Ignore_leaves_the_unnamed_column_out_and_predict_reads_the_file(string ignore)
    {
        string data = RowNumbered();
        string run = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run("train", "--data", data, "--target", "class", "--order", "VF,F,M,L", "--ignore", ignore, "--epochs", "1", "-o", run);
        Assert.True(exit == 0, error);
        Assert.Contains("7 feature columns", TestTables.Plain(output), StringComparison.Ordinal);
        string predictions = CliRunner.TempFolder() + ".csv";
        var predicted = CliRunner.Run("predict", "--run", run, "--data", data, "-o", predictions);
        Assert.True(predicted.Exit == 0, predicted.Error);
        Assert.Equal(401, File.ReadAllLines(predictions).Length);
    }

    [Fact]
    public void Ignore_of_an_unnamed_column_that_is_not_there_says_so() =>
        Assert.Contains("has no column without a name", TestTables.TrainFails([.. TestTables.HpcTrain[1..^3], "--ignore", ""]), StringComparison.Ordinal);
}
