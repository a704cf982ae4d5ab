using EarthMover.Cli;

namespace EarthMover.Tests.Cli;

/// <summary>Runs the earthmover program in-process, as a user would from a shell, and captures what it prints.</summary>
internal static class CliRunner
{
    public static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    /// <summary>The repository's Fashion-MNIST sample (data/fashion-mnist-sample: 2,000 + 1,000 images), copied beside the tests.</summary>
    public static string FashionMnistSample => Path.Combine(AppContext.BaseDirectory, "data", "fashion-mnist-sample");

    public static (int Exit, string Output, string Error) Run(params string[] args) => Run(CancellationToken.None, args);

    public static (int Exit, string Output, string Error) Run(CancellationToken cancel, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CliApp.RunAsync(args, output, error, cancel).GetAwaiter().GetResult();
        return (exit, output.ToString(), error.ToString());
    }

    public static string TempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "earthmover-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }
}
