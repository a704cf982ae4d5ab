using System.Globalization;
using CsvHelper;
using EarthMover.Training.Data;

namespace EarthMover.Cli.Commands;

/// <summary>
/// train --save-split DIR: the rows a run trains, validates and tests on, as train.csv, validation.csv and
/// test.csv, so that a run can be scored with other tools on exactly its test rows. Each row: the line of the
/// data file it came from (the header is line 1; for images the image's number from 1), its feature columns as
/// read (tables), the class, and for target distributions the probability of every class.
/// </summary>
internal static class SplitFiles
{
    public static readonly string[] Names = ["train.csv", "validation.csv", "test.csv"];

    /// <summary>The three files in <paramref name="folder"/>, checked before anything is written (existing ones only with --force).</summary>
    public static RunFolder Check(string folder, bool force, string? dataPath)
    {
        var target = new RunFolder(folder, "--save-split");
        foreach (var name in Names)
        {
            OutputFile.Check(target.PathOf(name), "--save-split", force, [(dataPath, "the --data file")], [], createsFolder: true);
        }
        return target;
    }

    /// <summary>Writes the split's rows.</summary>
    public static void Write(RunFolder folder, Dataset data, Split split)
    {
        var parts = new[] { split.Train, split.Validation, split.Test };
        for (int p = 0; p < parts.Length; p++)
        {
            var rows = parts[p];
            folder.WriteAtomic(Names[p], stream =>
            {
                using var writer = new StreamWriter(stream, leaveOpen: true);
                using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
                var table = data as TabularDataset;
                csv.WriteField(table is null ? "image" : "line");
                foreach (var column in table?.Columns ?? [])
                {
                    csv.WriteField(column);
                }
                csv.WriteField("class");
                if (data.Targets is not null)
                {
                    foreach (var name in data.ClassNames)
                    {
                        csv.WriteField("p_" + name);
                    }
                }
                csv.NextRecord();
                foreach (int r in rows)
                {
                    csv.WriteField(table is null ? (r + 1).ToString(CultureInfo.InvariantCulture) : table.Lines is { } lines ? lines[r].ToString(CultureInfo.InvariantCulture) : "");
                    foreach (var cell in table?.Cells(r) ?? [])
                    {
                        csv.WriteField(cell ?? "");
                    }
                    csv.WriteField(data.ClassNames[data.Labels[r]]);
                    if (data.Targets is { } targets)
                    {
                        foreach (double t in targets[r])
                        {
                            csv.WriteField(t.ToString("R", CultureInfo.InvariantCulture));
                        }
                    }
                    csv.NextRecord();
                }
            });
        }
    }
}
