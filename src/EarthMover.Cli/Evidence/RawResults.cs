using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using EarthMover.Cli.Reports;

namespace EarthMover.Cli.Evidence;

/// <summary>One training of a suite: a dataset, a loss and a seed, with every test metric of its best epoch.</summary>
/// <param name="Dataset">The dataset's title in the suite.</param>
/// <param name="Loss">The loss's label in the suite.</param>
/// <param name="Seed">The seed of the split and the initial weights (the pairing across losses).</param>
/// <param name="Samples">Rows (or images) used, before the split.</param>
/// <param name="TestRows">Rows the test metrics are computed on.</param>
/// <param name="ExactAccuracy">Test exact accuracy.</param>
/// <param name="OneOffAccuracy">Test one-off accuracy.</param>
/// <param name="Mae">Test MAE, in classes.</param>
/// <param name="MacroMae">Test macro MAE.</param>
/// <param name="Qwk">Test quadratic weighted kappa.</param>
/// <param name="MeanEmd">Test mean EMD, in classes.</param>
/// <param name="BestEpoch">The epoch (from 1) whose weights were scored.</param>
/// <param name="EpochsRun">Epochs trained before early stopping or the cap.</param>
/// <param name="Seconds">Wall time of the training and scoring.</param>
/// <param name="Collapsed">Whether the best model predicts one class for at least 95 % of the validation rows.</param>
/// <remarks>
/// Rows written before the proper scores and the machine were recorded (raw.csv of the evidence suite v2) have
/// <see cref="Scores"/> and <see cref="Machine"/> null: the page says "not recorded" for them.
/// </remarks>
internal sealed record RawRow(
    string Dataset,
    string Loss,
    int Seed,
    int Samples,
    int TestRows,
    double ExactAccuracy,
    double OneOffAccuracy,
    double Mae,
    double MacroMae,
    double Qwk,
    double MeanEmd,
    int BestEpoch,
    int EpochsRun,
    double Seconds,
    bool Collapsed)
{
    /// <summary>The proper scores (RPS, log loss, Brier) of the test distributions; null where they were not recorded.</summary>
    public ProperScoreMeans? Scores { get; init; }

    /// <summary>The monitored validation score of the best epoch, as the trainer minimises it (accuracy and QWK negated): what a tuning suite selects settings on, never the test rows; null where it was not recorded.</summary>
    public double? ValidationScore { get; init; }

    /// <summary>The machine the training ran on; null where it was not recorded.</summary>
    public MachineInfo? Machine { get; init; }

    /// <summary>A metric by its suite name (see <see cref="SuiteFile.MetricNames"/>); null for a proper score the row does not record.</summary>
    public double? Recorded(string name) => name switch
    {
        "exact accuracy" => ExactAccuracy,
        "one-off accuracy" => OneOffAccuracy,
        "MAE" => Mae,
        "macro MAE" => MacroMae,
        "QWK" => Qwk,
        "mean EMD" => MeanEmd,
        "RPS" => Scores?.RankedProbabilityScore,
        "log loss" => Scores?.LogLoss,
        "Brier" => Scores?.BrierScore,
        _ => throw new ArgumentException($"'{name}' is not a metric.", nameof(name)),
    };

    /// <summary>A metric by its suite name; the row must record it (<see cref="Recorded"/>).</summary>
    /// <exception cref="InvalidOperationException">A proper score this row does not record.</exception>
    public double Metric(string name) =>
        Recorded(name) ?? throw new InvalidOperationException($"dataset '{Dataset}', loss '{Loss}', seed {Seed}: {name} was not recorded.");
}

/// <summary>
/// The raw results of a suite as a CSV file, one row per dataset x loss x seed (the file docs/evidence/raw.csv): written in
/// the suite's order with round-trip numbers, so that the results page computed from it is the one computed
/// from the trainings, and read back with every cell checked (one line naming the file, line and column).
/// A file with the first 15 columns only (<see cref="LegacyColumns"/>, written before the proper scores and the
/// machine were recorded) is read too; so is one whose proper-score or machine cells are empty.
/// </summary>
internal static class RawResults
{
    /// <summary>The columns of raw files written before the proper scores and the machine were recorded (the evidence suite v2).</summary>
    public static readonly string[] LegacyColumns =
        ["dataset", "loss", "seed", "samples", "test_rows", "exact_accuracy", "one_off_accuracy", "mae", "macro_mae", "qwk", "mean_emd", "best_epoch", "epochs_run", "seconds", "collapsed"];

    /// <summary>The columns, in order: <see cref="LegacyColumns"/>, the proper scores, and the machine.</summary>
    public static readonly string[] Columns =
        [.. LegacyColumns, "rps", "log_loss", "brier", "validation_score", "cpu", "simd", "os", "dotnet", "torchsharp", "threads"];

    /// <summary>Writes the rows (atomically) to <paramref name="name"/> in <paramref name="folder"/>.</summary>
    public static void Write(RunFolder folder, string name, IEnumerable<RawRow> rows) =>
        folder.WriteAtomic(name, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true) { NewLine = "\n" };
            using var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" });
            foreach (var column in Columns)
            {
                csv.WriteField(column);
            }
            csv.NextRecord();
            foreach (var row in rows)
            {
                csv.WriteField(row.Dataset);
                csv.WriteField(row.Loss);
                csv.WriteField(row.Seed);
                csv.WriteField(row.Samples);
                csv.WriteField(row.TestRows);
                foreach (double value in new[] { row.ExactAccuracy, row.OneOffAccuracy, row.Mae, row.MacroMae, row.Qwk, row.MeanEmd })
                {
                    csv.WriteField(value.ToString("R", CultureInfo.InvariantCulture));
                }
                csv.WriteField(row.BestEpoch);
                csv.WriteField(row.EpochsRun);
                csv.WriteField(row.Seconds.ToString("0.###", CultureInfo.InvariantCulture));
                csv.WriteField(row.Collapsed ? "true" : "false");
                foreach (double? value in new[] { row.Scores?.RankedProbabilityScore, row.Scores?.LogLoss, row.Scores?.BrierScore, row.ValidationScore })
                {
                    csv.WriteField(value is double v ? v.ToString("R", CultureInfo.InvariantCulture) : "");
                }
                var machine = row.Machine;
                foreach (var text in new[] { machine?.Cpu, machine?.Simd, machine?.Os, machine?.DotNet, machine?.TorchSharp, machine?.Threads.ToString(CultureInfo.InvariantCulture) })
                {
                    csv.WriteField(text ?? "");
                }
                csv.NextRecord();
            }
        });

    /// <summary>Reads a raw results file; a missing file, a wrong header or a bad cell is one <see cref="UserError"/>.</summary>
    public static IReadOnlyList<RawRow> Read(string path, string option = "--raw")
    {
        if (!File.Exists(path))
        {
            throw new UserError($"{option} {path}: no such file.");
        }
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { DetectColumnCountChanges = true });
        var rows = new List<RawRow>();
        try
        {
            if (!csv.Read() || !csv.ReadHeader() || !(csv.HeaderRecord!.SequenceEqual(Columns) || csv.HeaderRecord!.SequenceEqual(LegacyColumns)))
            {
                throw new UserError($"{option} {path}: line 1 must be the header {string.Join(",", Columns)} (or, from before the proper scores were recorded, its first {LegacyColumns.Length} columns).");
            }
            bool legacy = csv.HeaderRecord!.Length == LegacyColumns.Length;
            while (csv.Read())
            {
                int line = csv.Parser.RawRow;
                var scores = legacy ? null : Scores(csv, path, line, option);
                var machine = legacy ? null : Machine(csv, path, line, option);
                double? validation = legacy || string.IsNullOrEmpty(csv.GetField(18)) ? null : Number(csv, 18, path, line, option);
                rows.Add(new RawRow(
                    Text(csv, 0, path, line, option),
                    Text(csv, 1, path, line, option),
                    Integer(csv, 2, path, line, option),
                    Integer(csv, 3, path, line, option),
                    Integer(csv, 4, path, line, option),
                    Number(csv, 5, path, line, option),
                    Number(csv, 6, path, line, option),
                    Number(csv, 7, path, line, option),
                    Number(csv, 8, path, line, option),
                    Number(csv, 9, path, line, option),
                    Number(csv, 10, path, line, option),
                    Integer(csv, 11, path, line, option),
                    Integer(csv, 12, path, line, option),
                    Number(csv, 13, path, line, option),
                    Boolean(csv, 14, path, line, option)) { Scores = scores, Machine = machine, ValidationScore = validation });
            }
        }
        catch (CsvHelperException e) when (e is not null)
        {
            throw new UserError($"{option} {path}: line {csv.Parser.RawRow}: not a raw results row ({e.Message.Split('\n')[0].Trim()}).");
        }
        return rows;
    }

    // The three proper scores: all recorded or all empty.
    private static ProperScoreMeans? Scores(CsvReader csv, string path, int line, string option)
    {
        if (Enumerable.Range(15, 3).All(c => string.IsNullOrEmpty(csv.GetField(c))))
        {
            return null;
        }
        return new ProperScoreMeans(Integer(csv, 4, path, line, option), Number(csv, 15, path, line, option), Number(csv, 16, path, line, option), Number(csv, 17, path, line, option));
    }

    // The machine: all six cells recorded or all empty (the validation score, column 18, sits between).
    private static MachineInfo? Machine(CsvReader csv, string path, int line, string option)
    {
        if (Enumerable.Range(19, 6).All(c => string.IsNullOrEmpty(csv.GetField(c))))
        {
            return null;
        }
        return new MachineInfo(Text(csv, 19, path, line, option), Text(csv, 20, path, line, option), Text(csv, 21, path, line, option), Text(csv, 22, path, line, option), Text(csv, 23, path, line, option), Integer(csv, 24, path, line, option));
    }

    private static string Text(CsvReader csv, int column, string path, int line, string option)
    {
        string? cell = csv.GetField(column);
        return string.IsNullOrWhiteSpace(cell) ? throw Bad(path, line, column, "empty", option) : cell;
    }

    private static int Integer(CsvReader csv, int column, string path, int line, string option) =>
        int.TryParse(csv.GetField(column), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= 0
            ? value
            : throw Bad(path, line, column, "not a whole number >= 0", option);

    private static double Number(CsvReader csv, int column, string path, int line, string option) =>
        double.TryParse(csv.GetField(column), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value
            : throw Bad(path, line, column, "not a finite number", option);

    private static bool Boolean(CsvReader csv, int column, string path, int line, string option) =>
        csv.GetField(column) switch
        {
            "true" => true,
            "false" => false,
            _ => throw Bad(path, line, column, "not true or false", option),
        };

    private static UserError Bad(string path, int line, int column, string what, string option) =>
        new($"{option} {path}: line {line}, column {Columns[column]}: {what}.");
}
