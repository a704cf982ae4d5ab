using System.IO.Compression;

namespace EarthMover.Training.Data;

/// <summary>Turns <see cref="DataOptions"/> into a <see cref="Dataset"/>.</summary>
public static class DataSource
{
    /// <summary>The <see cref="DataOptions.Source"/> of the embedded diamonds data (ggplot2's, MIT; target cut, color or clarity).</summary>
    public const string Diamonds = "diamonds";

    /// <summary>The class orders of the embedded diamonds data (src/EarthMover.Training/Data/Embedded/NOTICE.md).</summary>
    private static readonly Dictionary<string, string[]> DiamondOrders = new(StringComparer.Ordinal)
    {
        ["cut"] = ["Fair", "Good", "Very Good", "Premium", "Ideal"],
        ["color"] = ["D", "E", "F", "G", "H", "I", "J"],
        ["clarity"] = ["I1", "SI2", "SI1", "VS2", "VS1", "VVS2", "VVS1", "IF"],
    };

    private static readonly string[] FashionClasses =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// Reads the data: a CSV file (its delimiter detected unless given; its target's classes from
    /// <see cref="DataOptions.Order"/>, its values or <see cref="DataOptions.Bins"/>; features by column), an IDX
    /// images file with its labels, a folder of IDX files, or the embedded diamonds; sampled when
    /// <see cref="DataOptions.Rows"/> is set. What loading did (rows dropped, columns used) is in <see cref="Dataset.Notes"/>.
    /// </summary>
    /// <param name="options">Where the data is and how to read it.</param>
    /// <returns>The samples with their class labels.</returns>
    /// <exception cref="TrainingException">The file is missing or unreadable, a column is misspelled, a label is outside the order, or the options contradict each other.</exception>
    public static Dataset Load(DataOptions options)
    {
        var given = options;
        if (options.SourcePath is { } path)
        {
            options = options with { Source = path, Labels = options.LabelsPath ?? options.Labels };
        }
        Dataset data = options.Source == Diamonds ? LoadDiamonds(options)
            : Directory.Exists(options.Source) ? LoadIdxFolder(options)
            : File.Exists(options.Source) ? LoadFile(options)
            : throw new UserError($"--data: {options.Source}: no such file or folder.");
        if (options.Task is { } task)
        {
            if (task != "rotation")
            {
                throw new UserError($"--task: '{task}' is not a task; the one task is 'rotation'.");
            }
            if (data is not ImageDataset images)
            {
                throw new UserError("--task rotation needs image data (IDX files).");
            }
            data = RotationTask.Create(images, options.Seed);
        }
        // The run records the paths as the user gave them, also when it read them from elsewhere.
        var files = data.Files is { } read && given.SourcePath is not null ? read with { AsGiven = given.Source, LabelsAsGiven = given.Labels } : data.Files;
        data = options.Rows is int rows ? Sample(data, rows, options.Seed) : data;
        data.Files = files;
        data.Options = given;
        return data;
    }

    /// <summary>
    /// A labelled CSV file to score with a trained run: its columns matched to the run's schema by name, its
    /// delimiter detected unless given.
    /// </summary>
    internal static TabularDataset LoadForSchema(string path, DataSchema schema, string? delimiter, string? encoding)
    {
        var dialect = Dialect(path, delimiter, encoding);
        var table = CsvTable.Read(path, dialect);
        var data = TabularDataset.ForSchema(table, $"{Path.GetFileNameWithoutExtension(path)} ({schema.Target.Column})", path, schema);
        data.Files = DataFiles.Of(path, null, [path]);
        data.Dialect = dialect;
        NoteDialect(data, dialect, delimiter);
        return data;
    }

    /// <summary>The dialect of a CSV file: --delimiter or the detected one, and --encoding.</summary>
    internal static CsvDialect Dialect(string path, string? delimiter, string? encoding)
    {
        if (!File.Exists(path))
        {
            throw new UserError($"--data: {path}: no such file.");
        }
        return CsvDialect.Of(path, CsvDialect.ParseDelimiter(delimiter), CsvDialect.ParseEncoding(encoding));
    }

    /// <summary>Whether a file is an IDX file (gzipped or not) rather than a CSV file.</summary>
    internal static bool IsIdx(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> head = stackalloc byte[4];
        int read = stream.Read(head);
        if (read >= 2 && head[0] == 0x1F && head[1] == 0x8B)
        {
            return path.Contains("idx", StringComparison.OrdinalIgnoreCase);
        }
        return read == 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x08;
    }

    private static TabularDataset LoadDiamonds(DataOptions options)
    {
        NotForTables(options, "the embedded diamonds");
        NotForImages(options, null);
        string target = options.Target ?? "cut";
        var order = options.Order ?? (options.Bins is null && DiamondOrders.TryGetValue(target, out var known) ? known : null);
        using var stream = typeof(DataSource).Assembly.GetManifestResourceStream("diamonds.csv.gz")
            ?? throw new InvalidOperationException("the embedded diamonds data is missing from this build.");
        using var reader = new StreamReader(new GZipStream(stream, CompressionMode.Decompress));
        var table = CsvTable.Read(reader, "diamonds");
        var data = TabularDataset.Create(table, $"diamonds ({target})", "diamonds", options with { Target = target, Order = order });
        data.Dialect = CsvDialect.Default;
        return data;
    }

    private static Dataset LoadFile(DataOptions options)
    {
        string path = options.Source;
        if (IsIdx(path))
        {
            NotForImages(options, path);
            string labels = options.Labels ?? throw new UserError($"--data {path} is an IDX images file; give its labels file with --labels.");
            var names = options.ClassNames?.ToArray() ?? Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var images = ImageDataset.FromIdx(Path.GetFileName(path), names, [(path, labels)]);
            images.Files = DataFiles.Of(path, labels, [path, labels]);
            return images;
        }
        NotForTables(options, path);
        string target = options.Target
            ?? (options.TargetColumns is { } columns ? $"{columns[0]}..{columns[^1]}" : throw new UserError($"--target is required for {path}: name the column that holds the ordered classes (or --target-columns, one column per class)."));
        var dialect = Dialect(path, options.Delimiter, options.Encoding);
        var table = CsvTable.Read(path, dialect);
        var data = TabularDataset.Create(table, $"{Path.GetFileNameWithoutExtension(path)} ({target})", path, options);
        data.Files = DataFiles.Of(path, null, [path]);
        data.Dialect = dialect;
        NoteDialect(data, dialect, options.Delimiter);
        return data;
    }

    // A folder of IDX files in the MNIST layout: train and t10k pairs, pooled (splits are made here, seeded).
    private static ImageDataset LoadIdxFolder(DataOptions options)
    {
        var pairs = new List<(string, string)>();
        foreach (var prefix in new[] { "train", "t10k" })
        {
            string? images = Find(options.Source, $"{prefix}-images-idx3-ubyte");
            string? labels = Find(options.Source, $"{prefix}-labels-idx1-ubyte");
            if (images is not null && labels is not null)
            {
                pairs.Add((images, labels));
            }
        }
        if (pairs.Count == 0)
        {
            // A folder is read as IDX images only when it holds them; a folder of tables is named as one.
            var tables = Directory.EnumerateFiles(options.Source).Where(f => f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
                .Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
            throw new UserError(tables.Length > 0
                ? $"--data {options.Source} is a folder of {Plural.Of(tables.Length, "table file")} ({string.Join(", ", tables.Take(3))}{(tables.Length > 3 ? ", ..." : "")}); --data takes one CSV file, e.g. --data {Path.Combine(options.Source, tables[0]!)}."
                : $"--data {options.Source} is a folder without IDX images (train-images-idx3-ubyte[.gz] with train-labels-idx1-ubyte[.gz]); for a table give its CSV file.");
        }
        NotForImages(options, options.Source);
        bool fashion = options.Source.Contains("fashion", StringComparison.OrdinalIgnoreCase);
        var names = options.ClassNames?.ToArray() ?? (fashion ? FashionClasses : Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        var data = ImageDataset.FromIdx(fashion ? "Fashion-MNIST" : Path.GetFileName(Path.TrimEndingDirectorySeparator(options.Source)), names, pairs);
        data.Files = DataFiles.Of(options.Source, null, pairs.SelectMany(p => new[] { p.Item1, p.Item2 }).ToArray());
        return data;
    }

    // Options of CSV data given with image data are refused, not ignored.
    private static void NotForImages(DataOptions options, string? path)
    {
        if (path is null)
        {
            return;
        }
        var given = new (string Name, bool Given)[]
        {
            ("--target", options.Target is not null), ("--target-columns", options.TargetColumns is not null), ("--aggregate-by", options.AggregateBy is not null), ("--order", options.Order is not null), ("--ignore", options.Ignore.Count > 0),
            ("--categorical", options.Categorical.Count > 0), ("--bins", options.Bins is not null),
            ("--delimiter", options.Delimiter is not null), ("--encoding", options.Encoding is not null),
        }.Where(o => o.Given).Select(o => o.Name).ToArray();
        if (given.Length > 0)
        {
            throw new UserError($"{string.Join(", ", given)}: {(given.Length == 1 ? "applies" : "apply")} to CSV data, and --data {path} is image data (IDX).");
        }
    }

    // Options of image data given with a table are refused, not ignored.
    private static void NotForTables(DataOptions options, string what)
    {
        if (options.ClassNames is not null)
        {
            throw new UserError($"--class-names names the classes of image data; the classes of {what} are the values of --target (--order sets their order).");
        }
        if (options.Labels is not null)
        {
            throw new UserError($"--labels goes with an IDX images file; {what} is a table.");
        }
        if (what == "the embedded diamonds" && (options.Delimiter is not null || options.Encoding is not null))
        {
            throw new UserError("--delimiter and --encoding apply to CSV files, not to the embedded diamonds.");
        }
    }

    private static void NoteDialect(Dataset data, CsvDialect dialect, string? given)
    {
        if (dialect.Delimiter != ',' && given is null)
        {
            data.Note($"delimiter {dialect.DelimiterName} (detected; --delimiter sets it)");
        }
    }

    private static string? Find(string folder, string name) =>
        new[] { name + ".gz", name }.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);

    // A seeded sample of `rows` samples, stratified so that every class keeps its share.
    private static Dataset Sample(Dataset data, int rows, int seed)
    {
        if (rows < 2)
        {
            throw new UserError($"--rows {rows}: take at least 2 rows.");
        }
        if (rows >= data.Count)
        {
            return data;
        }
        var chosen = Splits.StratifiedSample(data.Labels, data.ClassNames.Length, rows, seed);
        return data switch
        {
            ImageDataset images => images.Subset(chosen, $"a stratified sample of {rows} of {data.Count} images (seed {seed})"),
            TabularDataset table => table.Subset(chosen, $"a stratified sample of {rows} of {data.Count} rows (seed {seed})"),
            _ => throw new InvalidOperationException("this dataset cannot be sampled."),
        };
    }
}
