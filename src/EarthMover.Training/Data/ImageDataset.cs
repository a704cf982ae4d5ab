namespace EarthMover.Training.Data;

/// <summary>28 x 28 grey images with class labels (Fashion-MNIST and the like).</summary>
internal sealed class ImageDataset : Dataset
{
    private const int Side = 28;

    private readonly byte[] _pixels;

    public ImageDataset(string name, string[] classNames, int[] labels, byte[] pixels, IReadOnlyList<string> notes)
        : base(name, classNames, labels, notes)
    {
        _pixels = pixels;
    }

    public override bool IsImage => true;

    /// <summary>The raw pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Pixels(int index) => _pixels.AsSpan(index * Side * Side, Side * Side);

    /// <summary>Images and labels from a pair of IDX files.</summary>
    public static ImageDataset FromIdx(string name, string[] classNames, IReadOnlyList<(string Images, string Labels)> files)
    {
        var pixels = new List<byte>();
        var labels = new List<int>();
        foreach (var (imagePath, labelPath) in files)
        {
            var images = ReadImages(imagePath);
            foreach (int label in ReadLabels(labelPath, images.Dimensions[0], classNames.Length))
            {
                labels.Add(label);
            }
            pixels.AddRange(images.Data);
        }
        if (labels.Count == 0)
        {
            throw new UserError($"{name}: no images.");
        }
        return new ImageDataset(name, classNames, [.. labels], [.. pixels], [$"{Plural.Of(labels.Count, "image")} of 28 x 28 from {Plural.Of(files.Count, "IDX file pair")}"]);
    }

    /// <summary>An IDX file of N x 28 x 28 images.</summary>
    public static IdxFile ReadImages(string path)
    {
        var images = IdxFile.Read(path);
        if (images.Dimensions.Length != 3 || images.Dimensions[1] != Side || images.Dimensions[2] != Side)
        {
            throw new UserError($"{path}: expected N x 28 x 28 images, found {string.Join(" x ", images.Dimensions)}.");
        }
        return images;
    }

    /// <summary>The labels of an IDX labels file, checked against the number of images and classes.</summary>
    public static int[] ReadLabels(string path, int images, int classes)
    {
        var labels = IdxFile.Read(path);
        if (labels.Dimensions.Length != 1 || labels.Dimensions[0] != images)
        {
            throw new UserError($"{path}: expected {Plural.Of(images, "label")}, found {string.Join(" x ", labels.Dimensions)}.");
        }
        var result = new int[images];
        for (int i = 0; i < images; i++)
        {
            result[i] = labels.Data[i] < classes ? labels.Data[i] : throw new UserError($"{path}: label {labels.Data[i]} (image {i + 1}) is not one of the {classes} classes.");
        }
        return result;
    }

    /// <summary>The model inputs of images: pixels scaled to [0, 1].</summary>
    public static float[] Scale(ReadOnlySpan<byte> pixels)
    {
        var result = new float[pixels.Length];
        for (int p = 0; p < pixels.Length; p++)
        {
            result[p] = pixels[p] / 255f;
        }
        return result;
    }

    /// <summary>A subset of the images (the same order as <paramref name="rows"/>).</summary>
    public ImageDataset Subset(IReadOnlyList<int> rows, string note)
    {
        var pixels = new byte[rows.Count * Side * Side];
        for (int i = 0; i < rows.Count; i++)
        {
            Pixels(rows[i]).CopyTo(pixels.AsSpan(i * Side * Side));
        }
        return new ImageDataset(Name, ClassNames, rows.Select(r => Labels[r]).ToArray(), pixels, [.. Notes, note]) { Files = Files };
    }

    internal override DataSchema Schema(FeatureEncoder encoder) => new(Files, null, TargetSchema.ForLabels(ClassNames), encoder, []);

    internal override FeatureEncoder Fit(IReadOnlyList<int> trainRows) => FeatureEncoder.Images;

    internal override float[] Encode(FeatureEncoder encoder, IReadOnlyList<int> rows)
    {
        var result = new float[rows.Count * Side * Side];
        for (int i = 0; i < rows.Count; i++)
        {
            var source = Pixels(rows[i]);
            for (int p = 0; p < source.Length; p++)
            {
                result[i * Side * Side + p] = source[p] / 255f;
            }
        }
        return result;
    }
}
