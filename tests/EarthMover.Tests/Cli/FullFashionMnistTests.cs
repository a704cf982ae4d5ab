using EarthMover.Tests.Support;
using EarthMover.Training.Data;

namespace EarthMover.Tests.Cli;

/// <summary>The full Fashion-MNIST, where CI installs it: it loads whole, trains, and holds every image of the committed sample.</summary>
[Collection(nameof(CliTests))]
public class FullFashionMnistTests
{
    private static string Folder
    {
        get
        {
            string folder = FullFashionMnistFactAttribute.Folder!;
            Assert.True(File.Exists(Path.Combine(folder, "train-images-idx3-ubyte.gz")), $"{FullFashionMnistFactAttribute.Variable}={folder}, but it holds no train-images-idx3-ubyte.gz: sudo apt-get install -y dataset-fashion-mnist");
            return folder;
        }
    }

    [FullFashionMnistFact]
    public void Loads_all_70000_images_with_7000_per_class()
    {
        var data = DataSource.Load(new DataOptions { Source = Folder });
        Assert.Equal(70000, data.Count);
        Assert.Equal("T-shirt/top", data.ClassNames[0]);
        Assert.All(Enumerable.Range(0, 10), k => Assert.Equal(7000, data.Labels.Count(l => l == k)));
    }

    [FullFashionMnistFact]
    public void Trains_a_cnn_on_a_slice_of_the_full_set()
    {
        string folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run("train", "--data", Folder, "--rows", "300", "--loss", "xemd1", "--warmup", "1", "--epochs", "2", "--batch-size", "64", "-o", folder);
        Assert.True(exit == 0, error);
        Assert.Contains("of 70000 images", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "ground_distance.png")));
    }

    [FullFashionMnistFact]
    public void Every_image_of_the_sample_is_an_image_of_the_full_set_with_its_label()
    {
        foreach (var prefix in new[] { "train", "t10k" })
        {
            var full = Images(Folder, prefix);
            var sample = Images(CliRunner.FashionMnistSample, prefix);
            var known = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (pixels, label) in full)
            {
                known.TryAdd(pixels, label);
            }
            Assert.Equal(prefix == "train" ? 2000 : 1000, sample.Count);
            Assert.All(sample, image => Assert.Equal(image.Label, known[image.Pixels]));
            Assert.All(sample.GroupBy(i => i.Label), g => Assert.Equal(sample.Count / 10, g.Count()));
        }
    }

    // Each image's pixels as a string key, with its label.
    private static List<(string Pixels, int Label)> Images(string folder, string prefix)
    {
        var images = IdxFile.Read(Path.Combine(folder, $"{prefix}-images-idx3-ubyte.gz"));
        var labels = IdxFile.Read(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte.gz"));
        int size = images.Dimensions[1] * images.Dimensions[2];
        return Enumerable.Range(0, images.Dimensions[0]).Select(i => (Convert.ToBase64String(images.Data, i * size, size), (int)labels.Data[i])).ToList();
    }
}
