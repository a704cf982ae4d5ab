namespace EarthMover.Cli.Commands;

/// <summary>A comparison stopped by Ctrl-C (or a time limit): its message says what is kept and the command that resumes it.</summary>
internal sealed class ComparisonInterrupted(RunFolder folder, int finished, int total)
    : OperationCanceledException($"interrupted after {finished} of {Plural.Of(total, "training")}; the finished ones are kept in {folder.FullPath}: continue with {ResumeCommand(folder)}")
{
    /// <summary>The command line that continues the comparison in <paramref name="folder"/>.</summary>
    public static string ResumeCommand(RunFolder folder) => $"{CliApp.Name} compare --resume --output {Quote(folder.FullPath)}";

    // A path with a space or a quote is quoted for a POSIX shell, so that the printed command can be pasted.
    private static string Quote(string path) =>
        path.All(c => char.IsLetterOrDigit(c) || "/._-+,:=@".Contains(c)) ? path : "'" + path.Replace("'", "'\\''") + "'";
}
