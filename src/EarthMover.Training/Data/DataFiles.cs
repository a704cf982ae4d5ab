using System.Security.Cryptography;
using System.Text.Json.Serialization;

namespace EarthMover.Training.Data;

/// <summary>
/// The files a run was trained on: the paths as given and made absolute (so that evaluate works from any
/// folder), and a SHA-256 of their content (so that a changed file is noticed).
/// </summary>
/// <param name="AsGiven">--data as the user typed it.</param>
/// <param name="Path">Its absolute path.</param>
/// <param name="LabelsAsGiven">--labels as typed, for an IDX images file.</param>
/// <param name="LabelsPath">Its absolute path.</param>
/// <param name="Sha256">Hex SHA-256 of the file; for IDX data, of the SHA-256 values of the files read, in turn.</param>
internal sealed record DataFiles(string AsGiven, string Path, string? LabelsAsGiven, string? LabelsPath, string Sha256)
{
    /// <summary>The fingerprint of data read from <paramref name="files"/>.</summary>
    public static DataFiles Of(string asGiven, string? labelsAsGiven, IReadOnlyList<string> files)
    {
        string hash = files.Count == 1
            ? Hash(files[0])
            : Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(string.Concat(files.Select(Hash)))));
        return new DataFiles(asGiven, System.IO.Path.GetFullPath(asGiven), labelsAsGiven, labelsAsGiven is null ? null : System.IO.Path.GetFullPath(labelsAsGiven), hash);
    }

    /// <summary>Whether the data is still where training read it.</summary>
    [JsonIgnore]
    public bool Exists => File.Exists(Path) || Directory.Exists(Path);

    public static string Hash(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
