namespace EarthMover.Cli.Data;

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
            var images = IdxFile.Read(imagePath);
            var labelFile = IdxFile.Read(labelPath);
            if (images.Dimensions.Length != 3 || images.Dimensions[1] != Side || images.Dimensions[2] != Side)
            {
                throw new UserError($"{imagePath}: expected N x 28 x 28 images, found {string.Join(" x ", images.Dimensions)}.");
            }
            if (labelFile.Dimensions.Length != 1 || labelFile.Dimensions[0] != images.Dimensions[0])
            {
                throw new UserError($"{labelPath}: expected {images.Dimensions[0]} labels, found {string.Join(" x ", labelFile.Dimensions)}.");
            }
            foreach (byte label in labelFile.Data)
            {
                if (label >= classNames.Length)
                {
                    throw new UserError($"{labelPath}: label {label} is not one of the {classNames.Length} classes.");
                }
                labels.Add(label);
            }
            pixels.AddRange(images.Data);
        }
        if (labels.Count == 0)
        {
            throw new UserError($"{name}: no images.");
        }
        return new ImageDataset(name, classNames, [.. labels], [.. pixels], [$"{labels.Count} images of 28 x 28 from {files.Count} IDX file pair(s)"]);
    }

    /// <summary>A subset of the images (the same order as <paramref name="rows"/>).</summary>
    public ImageDataset Subset(IReadOnlyList<int> rows, string note)
    {
        var pixels = new byte[rows.Count * Side * Side];
        for (int i = 0; i < rows.Count; i++)
        {
            Pixels(rows[i]).CopyTo(pixels.AsSpan(i * Side * Side));
        }
        return new ImageDataset(Name, ClassNames, rows.Select(r => Labels[r]).ToArray(), pixels, [.. Notes, note]);
    }

    public override FeatureEncoder Fit(IReadOnlyList<int> trainRows) => FeatureEncoder.Images;

    public override float[] Encode(FeatureEncoder encoder, IReadOnlyList<int> rows)
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
