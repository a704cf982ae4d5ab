using System.IO.Compression;

namespace EarthMover.Cli.Data;

/// <summary>Turns <see cref="DataOptions"/> into a <see cref="Dataset"/>.</summary>
internal static class DataSource
{
    public const string Diamonds = "diamonds";

    /// <summary>The class orders of the embedded diamonds data (src/EarthMover.Cli/Data/Embedded/NOTICE.md).</summary>
    private static readonly Dictionary<string, string[]> DiamondOrders = new(StringComparer.Ordinal)
    {
        ["cut"] = ["Fair", "Good", "Very Good", "Premium", "Ideal"],
        ["color"] = ["D", "E", "F", "G", "H", "I", "J"],
        ["clarity"] = ["I1", "SI2", "SI1", "VS2", "VS1", "VVS2", "VVS1", "IF"],
    };

    private static readonly string[] FashionClasses =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static Dataset Load(DataOptions options)
    {
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
        return options.Rows is int rows ? Sample(data, rows, options.Seed) : data;
    }

    private static TabularDataset LoadDiamonds(DataOptions options)
    {
        string target = options.Target ?? "cut";
        var order = options.Order ?? (DiamondOrders.TryGetValue(target, out var known) ? known : null);
        using var stream = typeof(DataSource).Assembly.GetManifestResourceStream("diamonds.csv.gz")
            ?? throw new InvalidOperationException("the embedded diamonds data is missing from this build.");
        using var reader = new StreamReader(new GZipStream(stream, CompressionMode.Decompress));
        var table = CsvTable.Read(reader, "diamonds");
        return TabularDataset.Create(table, $"diamonds ({target})", target, order, options.Ignore, options.Categorical, options.Missing);
    }

    private static Dataset LoadFile(DataOptions options)
    {
        string path = options.Source;
        if (IsIdx(path))
        {
            string labels = options.Labels ?? throw new UserError($"--data {path} is an IDX images file; give its labels file with --labels.");
            var names = options.ClassNames?.ToArray() ?? Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            return ImageDataset.FromIdx(Path.GetFileName(path), names, [(path, labels)]);
        }
        string target = options.Target ?? throw new UserError($"--target is required for {path}: name the column that holds the ordered classes.");
        using var reader = new StreamReader(path);
        var table = CsvTable.Read(reader, path);
        return TabularDataset.Create(table, $"{Path.GetFileNameWithoutExtension(path)} ({target})", target, options.Order, options.Ignore, options.Categorical, options.Missing);
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
            throw new UserError($"--data {options.Source}: no IDX files (train-images-idx3-ubyte[.gz] with train-labels-idx1-ubyte[.gz]) in this folder.");
        }
        bool fashion = options.Source.Contains("fashion", StringComparison.OrdinalIgnoreCase);
        var names = options.ClassNames?.ToArray() ?? (fashion ? FashionClasses : Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        return ImageDataset.FromIdx(fashion ? "Fashion-MNIST" : Path.GetFileName(Path.TrimEndingDirectorySeparator(options.Source)), names, pairs);
    }

    private static string? Find(string folder, string name) =>
        new[] { name + ".gz", name }.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);

    private static bool IsIdx(string path)
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
