namespace EarthMover.Tests.Cli;

/// <summary>The 400-row test samples are what their notice says: rows of the repository's data/ files, line for line.</summary>
public class TestDataTests
{
    [Theory]
    [InlineData("hpc_data.csv")]
    [InlineData("stackoverflow.csv")]
    [InlineData("attrition.csv")]
    [InlineData("fair.csv")]
    public void Every_row_of_a_sample_is_a_row_of_its_repository_file(string file)
    {
        var full = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "repository-data", file));
        var sample = File.ReadAllLines(CliRunner.DataFile(file));
        Assert.Equal(full[0], sample[0]);
        Assert.Equal(401, sample.Length);
        var rows = full.Skip(1).ToHashSet(StringComparer.Ordinal);
        Assert.All(sample.Skip(1), line => Assert.Contains(line, rows));
    }
}
