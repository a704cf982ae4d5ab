namespace EarthMover.Tests.Cli;

/// <summary>Bad input: one line on stderr, a non-zero exit, and nothing half-written.</summary>
[Collection(nameof(CliTests))]
public class BadInputCliTests
{
    private static string Fails(string expected, params string[] args)
    {
        var (exit, output, error) = CliRunner.Run(args);
        Assert.Equal(2, exit);
        Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("earthmover: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        return output;
    }

    private static string Csv(string text)
    {
        string path = Path.Combine(CliRunner.TempFolder() + ".csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Missing_file() => Fails("no such file", "train", "--data", "/nonexistent/data.csv", "--target", "y");

    [Fact]
    public void Misspelled_column_gets_the_nearest_name() => Fails("did you mean 'cut'", "train", "--target", "cutt");

    [Fact]
    public void Labels_not_in_the_order() => Fails("'Very Good'", "train", "--order", "Fair,Good,Premium,Ideal", "--rows", "300");

    [Fact]
    public void Non_numeric_feature_values() =>
        Fails("mixes numbers and text", "train", "--data", Csv("x,y\n1,a\n2,b\nthree,a\n4,b\n"), "--target", "y", "--order", "a,b");

    [Fact]
    public void Empty_dataset() => Fails("no rows", "train", "--data", Csv("x,y\n"), "--target", "y");

    [Fact]
    public void Header_only_file_without_rows_or_columns() => Fails("empty", "train", "--data", Csv(""), "--target", "y");

    [Fact]
    public void A_class_with_no_training_example() =>
        Fails("'Perfect' has no training example", "train", "--order", "Fair,Good,Very Good,Premium,Ideal,Perfect", "--rows", "300", "--epochs", "1", "-o", CliRunner.TempFolder());

    [Fact]
    public void Corrupt_idx_header()
    {
        string images = CliRunner.TempFolder() + "-images.idx3-ubyte";
        File.WriteAllBytes(images, [0, 0, 8, 3, 0, 0, 0, 5, 0, 0, 0, 28]);
        File.WriteAllBytes(images + ".labels", [0, 0, 8, 1, 0, 0, 0, 5, 1, 2, 3, 4, 5]);
        Fails("corrupt IDX header", "train", "--data", images, "--labels", images + ".labels");
    }

    [Fact]
    public void Truncated_idx_data()
    {
        string images = CliRunner.TempFolder() + "-images.idx3-ubyte";
        File.WriteAllBytes(images, [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3]);
        Fails("announces", "train", "--data", images, "--labels", images);
    }

    [Fact]
    public void Unwritable_output_folder()
    {
        string file = CliRunner.TempFolder();
        File.WriteAllText(file, "a file where the folder would go");
        Fails("cannot write there", "train", "--rows", "300", "-o", Path.Combine(file, "run"));
    }

    [Fact]
    public void Malformed_option_values() => Fails("--epochs", "train", "--epochs", "many");

    [Fact]
    public void Unknown_loss() => Fails("is not a loss", "train", "--loss", "hinge", "--rows", "300", "-o", CliRunner.TempFolder());

    [Fact]
    public void Resume_without_a_checkpoint()
    {
        string folder = CliRunner.TempFolder();
        Directory.CreateDirectory(folder);
        Fails("no checkpoint.bin", "train", "--resume", "-o", folder);
    }

    [Fact]
    public void Cuda_without_a_cuda_build() => Fails("--device cuda", "train", "--device", "cuda", "--rows", "300", "-o", CliRunner.TempFolder());

    [Fact]
    public void Bad_input_leaves_no_files_behind()
    {
        string folder = CliRunner.TempFolder();
        Fails("did you mean", "train", "--target", "colr", "-o", folder);
        Assert.False(Directory.Exists(folder), "no folder is created for bad input");
    }

    // The EMD losses refuse non-finite logits: a diverged training says so in one line, as it does for ce.
    [Theory]
    [InlineData("emd2")]
    [InlineData("xemd1")]
    [InlineData("ce")]
    public void Diverged_training_is_one_line(string loss) =>
        Fails("training diverged", "train", "--loss", loss, "--lr", "1e30", "--rows", "300", "--epochs", "3", "-q", "-o", CliRunner.TempFolder());
}
