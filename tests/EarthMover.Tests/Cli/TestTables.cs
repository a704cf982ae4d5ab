using System.Globalization;
using System.Text;

namespace EarthMover.Tests.Cli;

/// <summary>Small CSV files the data tests write to temporary folders, derived from the committed 400-row samples.</summary>
internal static class TestTables
{
    /// <summary>hpc_data.csv: 400 rows, target class (VF &lt; F &lt; M &lt; L), no quoted cells.</summary>
    public static string Hpc => CliRunner.DataFile("hpc_data.csv");

    public static readonly string[] HpcTrain = ["train", "--data", Hpc, "--target", "class", "--order", "VF,F,M,L", "--epochs", "2", "-q"];

    /// <summary>A file in a new temporary folder.</summary>
    public static string Write(string name, string text, Encoding? encoding = null)
    {
        string folder = CliRunner.TempFolder();
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, text, encoding ?? new UTF8Encoding(false));
        return path;
    }

    /// <summary>The cells of a CSV file whose cells hold no delimiter, quotes removed.</summary>
    public static List<string[]> Cells(string path) => File.ReadAllLines(path).Select(l => l.Split(',').Select(c => c.Trim('"')).ToArray()).ToList();

    /// <summary>Cells back to CSV text with the given delimiter.</summary>
    public static string Text(IEnumerable<string[]> rows, char delimiter = ',') =>
        string.Concat(rows.Select(r => string.Join(delimiter, r) + "\n"));

    /// <summary>The table with its columns in the given order (by name; columns not named are dropped).</summary>
    public static List<string[]> Columns(List<string[]> table, params string[] names)
    {
        var index = names.Select(n => Array.IndexOf(table[0], n)).ToArray();
        Assert.DoesNotContain(-1, index);
        return table.Select(row => index.Select(i => row[i]).ToArray()).ToList();
    }

    /// <summary>A trained run on hpc_data.csv (two epochs), in a new folder.</summary>
    public static string TrainHpc(params string[] extra)
    {
        string folder = CliRunner.TempFolder();
        var (exit, _, error) = CliRunner.Run([.. HpcTrain, "-o", folder, .. extra]);
        Assert.True(exit == 0, error);
        return folder;
    }

    /// <summary>The rows of a predictions file: id, predicted class, probabilities.</summary>
    public static List<(string Id, string Predicted, double[] P)> Predictions(string path) =>
        File.ReadAllLines(path).Skip(1)
            .Select(l => l.Split(','))
            .Select(c => (c[0], c[1], c.Skip(2).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()))
            .ToList();

    /// <summary>Runs train (one epoch, quiet, into a new folder unless -o is given), expects bad input, and returns the one line on stderr.</summary>
    public static string TrainFails(params string[] args)
    {
        string[] output = args.Contains("-o") ? [] : ["-o", CliRunner.TempFolder()];
        var (exit, _, error) = CliRunner.Run(["train", .. args, "--epochs", "1", .. output, "-q"]);
        Assert.Equal(2, exit);
        Assert.Single(error.Trim().Split('\n'));
        return error;
    }

    /// <summary>Console output with every run of white space (line wraps included) made one space, for searching sentences.</summary>
    public static string Plain(string output) => System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " ");

    /// <summary>Asserts that a failed command left nothing behind: the file is absent, and no temporary file is in its folder.</summary>
    public static void NothingWritten(string path)
    {
        Assert.False(File.Exists(path), $"{path} was written");
        string folder = Path.GetDirectoryName(path)!;
        Assert.True(!Directory.Exists(folder) || Directory.GetFiles(folder, "*.tmp").Length == 0, "a temporary file was left behind");
    }
}
