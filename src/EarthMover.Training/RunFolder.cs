namespace EarthMover.Training;

/// <summary>
/// The folder a run writes to. It is created only when the first file is written (after every check has
/// passed), so that bad input leaves no empty folder behind. Every file is written to a temporary name first
/// and then renamed, so that an interruption (Ctrl-C, a crash, a full disk) never leaves a half-written file
/// under its real name.
/// </summary>
internal sealed class RunFolder
{
    /// <summary>Files whose presence marks a folder as one that earthmover wrote (a run, a comparison or its plan).</summary>
    private static readonly string[] Markers = ["checkpoint.bin", "model.bin", "metrics.json", "compare.json", "plan.json"];

    private readonly string _option;

    /// <summary>A folder to write to; checks that it can be created there, but creates nothing.</summary>
    /// <param name="path">The folder, as the user gave it.</param>
    /// <param name="option">The option that named it, for messages.</param>
    public RunFolder(string path, string option = "--output")
        : this(path, option, probe: true)
    {
    }

    private RunFolder(string path, string option, bool probe)
    {
        _option = option;
        Given = path;
        try
        {
            FullPath = System.IO.Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new UserError($"{option} {path}: not a usable folder name ({FirstLine(e.Message)}).");
        }
        if (probe)
        {
            ProbeWritable();
        }
    }

    /// <summary>The folder as the user gave it.</summary>
    public string Given { get; }

    public string FullPath { get; }

    /// <summary>Whether the folder exists and holds anything.</summary>
    public bool HasContent => Directory.Exists(FullPath) && Directory.EnumerateFileSystemEntries(FullPath).Any();

    /// <summary>An existing run folder (for --run and --resume): refused, and nothing created, if it is not there.</summary>
    public static RunFolder Existing(string path, string option)
    {
        var folder = new RunFolder(path, option, probe: false);
        if (!Directory.Exists(folder.FullPath))
        {
            throw new UserError(File.Exists(folder.FullPath)
                ? $"{option} {path}: this is a file; give the run folder (the one that holds model.bin)."
                : $"{option} {path}: no such folder.");
        }
        return folder;
    }

    /// <summary>
    /// The first of <paramref name="path"/>, <paramref name="path"/>-2, <paramref name="path"/>-3, ... that is
    /// missing or empty: a default output folder, so that running the same command again writes beside the
    /// earlier run instead of failing (or replacing it).
    /// </summary>
    public static string NextFree(string path)
    {
        string candidate = path;
        for (int n = 2; Directory.Exists(candidate) && Directory.EnumerateFileSystemEntries(candidate).Any() || File.Exists(candidate); n++)
        {
            candidate = $"{path}-{n}";
        }
        return candidate;
    }

    /// <summary>A folder inside this one (a comparison's runs), created when it is first written to.</summary>
    public RunFolder Child(string name) => new(System.IO.Path.Combine(FullPath, name), _option, probe: false);

    public string PathOf(string name) => System.IO.Path.Combine(FullPath, name);

    public bool Exists(string name) => File.Exists(PathOf(name));

    /// <summary>
    /// Refuses to write into a folder that already holds files (a previous run's plots and metrics would mix
    /// with the new ones), unless <paramref name="force"/> asks to replace it, which is allowed only for a
    /// folder that earthmover wrote. Call before anything is written; <see cref="Clear"/> replaces it later.
    /// </summary>
    public void CheckFree(bool force)
    {
        if (!HasContent)
        {
            return;
        }
        if (!force)
        {
            throw new UserError($"{_option} {Given}: the folder exists and is not empty; pass --force to replace it{(Markers.Take(2).Any(Exists) || Exists("plan.json") && !Exists("compare.json") ? ", --resume to continue the run in it," : "")} or choose another {_option}.");
        }
        if (!WrittenByEarthMover(FullPath))
        {
            throw new UserError($"--force: {Given} does not look like a folder earthmover wrote (it has no {string.Join(", ", Markers)}); not replacing it: delete it yourself or choose another {_option}.");
        }
    }

    /// <summary>Deletes the folder's contents (after <see cref="CheckFree"/> with force, once every check has passed).</summary>
    public void Clear()
    {
        if (!Directory.Exists(FullPath))
        {
            return;
        }
        if (HasContent && !WrittenByEarthMover(FullPath))
        {
            throw new InvalidOperationException($"{FullPath} was not checked with CheckFree(force: true).");
        }
        Directory.Delete(FullPath, recursive: true);
    }

    /// <summary>Writes <paramref name="name"/> through a temporary file and a rename, creating the folder first if needed.</summary>
    public void WriteAtomic(string name, Action<Stream> write)
    {
        Create();
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

    /// <summary>Copies a file in under <paramref name="name"/> (atomically, like every write).</summary>
    public void CopyIn(string source, string name) =>
        WriteAtomic(name, stream =>
        {
            using var input = File.OpenRead(source);
            input.CopyTo(stream);
        });

    public void WriteText(string name, string text) =>
        WriteAtomic(name, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(text);
        });

    private void Create()
    {
        try
        {
            Directory.CreateDirectory(FullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"{_option} {Given}: cannot write there ({FirstLine(e.Message)}).");
        }
    }

    // Whether the folder (or, for a suite, each of its subfolders) holds what earthmover writes.
    private static bool WrittenByEarthMover(string path)
    {
        if (Markers.Any(m => File.Exists(System.IO.Path.Combine(path, m))))
        {
            return true;
        }
        var entries = Directory.EnumerateFileSystemEntries(path).ToArray();
        return entries.Length > 0 && entries.All(e => Directory.Exists(e) && WrittenByEarthMover(e));
    }

    // Checks, without creating anything that stays, that the folder can be created and written: the nearest
    // existing folder above it must be a folder we can write a file in.
    private void ProbeWritable()
    {
        if (File.Exists(FullPath))
        {
            throw new UserError($"{_option} {Given}: cannot write there (it is a file).");
        }
        string? existing = FullPath;
        while (existing is not null && !Directory.Exists(existing))
        {
            if (File.Exists(existing))
            {
                throw new UserError($"{_option} {Given}: cannot write there ({existing} is a file).");
            }
            existing = System.IO.Path.GetDirectoryName(existing);
        }
        if (existing is null)
        {
            throw new UserError($"{_option} {Given}: cannot write there (no such drive or root).");
        }
        string probe = System.IO.Path.Combine(existing, $".earthmover-write-test-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"{_option} {Given}: cannot write there ({FirstLine(e.Message)}).");
        }
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
