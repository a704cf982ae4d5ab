namespace EarthMover.Cli;

/// <summary>Well-known places on a Debian machine.</summary>
internal static class CliDefaults
{
    /// <summary>Where Debian's dataset-fashion-mnist package puts the gzipped IDX files.</summary>
    public const string FashionMnist = "/usr/share/datasets/fashion-mnist";
}
