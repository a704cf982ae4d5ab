namespace EarthMover.Tests.Support;

/// <summary>
/// A test on the full Fashion-MNIST (Debian's dataset-fashion-mnist), run only where EARTHMOVER_FULL_FASHION_MNIST
/// names its folder (CI's .ci/run sets it). Where the variable is set the test must find the files and fails
/// otherwise; unset, the test is skipped, since every other test runs on the sample in data/.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FullFashionMnistFactAttribute : FactAttribute
{
    public const string Variable = "EARTHMOVER_FULL_FASHION_MNIST";

    public FullFashionMnistFactAttribute()
    {
        if (string.IsNullOrEmpty(Folder))
        {
            Skip = $"{Variable} is not set (sudo apt-get install -y dataset-fashion-mnist; {Variable}=/usr/share/datasets/fashion-mnist)";
        }
    }

    /// <summary>The folder of the full set's gzipped IDX files, or null where the variable is unset.</summary>
    public static string? Folder => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } folder ? folder : null;
}
