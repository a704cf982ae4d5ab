namespace EarthMover.Cli.Commands;

/// <summary>
/// A file a command writes (predictions, an evaluation, a results page, a merged raw file), checked before
/// anything is read or written: never one of the command's inputs or a trained run's own files (even with
/// --force: that would destroy what the command reads), and an existing file only with --force. The same rule
/// for every command that writes a file; train and compare check their folders the same way (RunFolder.CheckFree).
/// </summary>
internal static class OutputFile
{
    /// <summary>The files training writes into a run folder, which no other output may replace.</summary>
    private static readonly string[] RunFiles = [Checkpoint.ModelFile, Checkpoint.ResumeFile, Checkpoint.SchemaFile, Reports.RunReport.MetricsFile, Reports.RunReport.HistoryFile, Reports.RunReport.ReportFile];

    /// <summary>The full path of <paramref name="path"/>, refused (one line) if it is an input, a run's file, a folder, in a folder that does not exist, or an existing file without <paramref name="force"/>.</summary>
    /// <param name="path">The file as the user gave it.</param>
    /// <param name="option">The option that named it, for messages.</param>
    /// <param name="force">Whether --force allows replacing an existing file.</param>
    /// <param name="inputs">The files the command reads, each with what it is ("the --data file").</param>
    /// <param name="runs">Run folders the command reads, whose files are protected.</param>
    /// <param name="createsFolder">Whether the command creates the file's folder when it is missing (else it must exist).</param>
    public static string Check(string path, string option, bool force, IEnumerable<(string? Path, string What)> inputs, IEnumerable<string> runs, bool createsFolder = false)
    {
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new UserError($"{option} {path}: not a usable file name.");
        }
        if (Directory.Exists(full))
        {
            throw new UserError($"{option} {path} is a folder; name a file.");
        }
        if (!createsFolder && !Directory.Exists(Path.GetDirectoryName(full)))
        {
            throw new UserError($"{option} {path}: the folder {Path.GetDirectoryName(full)} does not exist.");
        }
        foreach (var (input, what) in inputs)
        {
            if (input is not null && Same(full, input))
            {
                throw new UserError($"{option} {path} is {what}, which this command reads; writing there would destroy it: choose another file.");
            }
        }
        foreach (var run in runs)
        {
            if (RunFiles.Any(name => Same(full, Path.Combine(run, name))))
            {
                throw new UserError($"{option} {path} is the run's own {Path.GetFileName(full)}; writing there would destroy the run: choose another file.");
            }
        }
        if (File.Exists(full) && !force)
        {
            throw new UserError($"{option} {path} exists; pass --force to replace it, or choose another file.");
        }
        return full;
    }

    /// <summary>The --force of a command that writes a file.</summary>
    public static System.CommandLine.Option<bool> ForceOption(string what) =>
        new("--force") { Description = $"Replace {what} if it exists (never an input file or a file of the run)." };

    // Whether two paths name one file: the same full path, or links that resolve to the same file.
    private static bool Same(string a, string b)
    {
        string ra = Resolve(a), rb = Resolve(b);
        return string.Equals(ra, rb, StringComparison.Ordinal);
    }

    private static string Resolve(string path)
    {
        string full = Path.GetFullPath(path);
        try
        {
            return File.Exists(full) && new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true) is { } target ? Path.GetFullPath(target.FullName) : full;
        }
        catch (IOException)
        {
            return full;
        }
    }
}
