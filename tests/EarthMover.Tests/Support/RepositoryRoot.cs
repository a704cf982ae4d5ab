namespace EarthMover.Tests.Support;

/// <summary>The repository's root, found above the test binaries (the tests may look there; the program never does).</summary>
internal static class RepositoryRoot
{
    public static readonly string Path = Find();

    public static string Of(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "EarthMover.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("the repository root (EarthMover.slnx) is not above the test binaries");
    }
}
