namespace EarthMover.Cli.Reports;

/// <summary>
/// The folder a run writes to. Every file is written to a temporary name first and then renamed, so that an
/// interruption (Ctrl-C, a crash, a full disk) never leaves a half-written file under its real name.
/// </summary>
internal sealed class RunFolder
{
    public RunFolder(string path)
    {
        FullPath = System.IO.Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(FullPath);
            string probe = System.IO.Path.Combine(FullPath, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"--output {path}: cannot write there ({e.Message.Split('\n')[0].Trim()}).");
        }
    }

    public string FullPath { get; }

    public string PathOf(string name) => System.IO.Path.Combine(FullPath, name);

    public bool Exists(string name) => File.Exists(PathOf(name));

    /// <summary>Writes <paramref name="name"/> through a temporary file and a rename.</summary>
    public void WriteAtomic(string name, Action<Stream> write)
    {
        string final = PathOf(name);
        string temporary = PathOf($".{name}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, final, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    public void WriteText(string name, string text) =>
        WriteAtomic(name, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(text);
        });
}
