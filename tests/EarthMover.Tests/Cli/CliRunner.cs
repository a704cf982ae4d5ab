using EarthMover.Cli;

namespace EarthMover.Tests.Cli;

/// <summary>Runs the earthmover program in-process, as a user would from a shell, and captures what it prints.</summary>
internal static class CliRunner
{
    public static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    public const string FashionMnist = "/usr/share/datasets/fashion-mnist";

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
