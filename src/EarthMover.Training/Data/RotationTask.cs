namespace EarthMover.Training.Data;

/// <summary>
/// An ordinal image task made from real images, a pose-estimation stand-in: each image is rotated by an angle
/// drawn uniformly from [-60°, 60°] (seeded), and its label is which of 9 equal bins the angle falls in
/// (bin 0: -60° to -46.7°, ..., bin 8: 46.7° to 60°). Rotation is about the image centre with bilinear
/// interpolation; pixels from outside the image are black.
/// </summary>
internal static class RotationTask
{
    public const int Bins = 9;
    public const double MaxDegrees = 60;

    public static ImageDataset Create(ImageDataset source, int seed)
    {
        var random = new Random(seed);
        int n = source.Count;
        var pixels = new byte[n * 28 * 28];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            double angle = -MaxDegrees + random.NextDouble() * 2 * MaxDegrees;
            labels[i] = Math.Min(Bins - 1, (int)((angle + MaxDegrees) / (2 * MaxDegrees / Bins)));
            Rotate(source.Pixels(i), pixels.AsSpan(i * 28 * 28, 28 * 28), angle);
        }
        var names = Enumerable.Range(0, Bins)
            .Select(b => $"{-MaxDegrees + b * 2 * MaxDegrees / Bins:0}..{-MaxDegrees + (b + 1) * 2 * MaxDegrees / Bins:0}°")
            .ToArray();
        return new ImageDataset(source.Name + " rotated", names, labels, pixels, [.. source.Notes, $"each image rotated by a uniform angle in [-60°, 60°] (seed {seed}); label: its bin of 9"]);
    }

    // destination(x, y) = source at the point that rotating by `degrees` brings to (x, y).
    public static void Rotate(ReadOnlySpan<byte> source, Span<byte> destination, double degrees)
    {
        double radians = degrees * Math.PI / 180;
        double cos = Math.Cos(radians), sin = Math.Sin(radians);
        const double centre = 13.5;
        for (int y = 0; y < 28; y++)
        {
            for (int x = 0; x < 28; x++)
            {
                double dx = x - centre, dy = y - centre;
                double sx = cos * dx + sin * dy + centre;
                double sy = -sin * dx + cos * dy + centre;
                destination[y * 28 + x] = (byte)Math.Round(Sample(source, sx, sy));
            }
        }
    }

    private static double Sample(ReadOnlySpan<byte> image, double x, double y)
    {
        int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
        double fx = x - x0, fy = y - y0;
        return Pixel(image, x0, y0) * (1 - fx) * (1 - fy) + Pixel(image, x0 + 1, y0) * fx * (1 - fy)
            + Pixel(image, x0, y0 + 1) * (1 - fx) * fy + Pixel(image, x0 + 1, y0 + 1) * fx * fy;
    }

    private static double Pixel(ReadOnlySpan<byte> image, int x, int y) =>
        x < 0 || y < 0 || x >= 28 || y >= 28 ? 0 : image[y * 28 + x];
}
