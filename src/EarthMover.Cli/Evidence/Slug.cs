namespace EarthMover.Cli.Evidence;

/// <summary>File and anchor names from titles: "diamonds: color" → "diamonds-color".</summary>
internal static class Slug
{
    public static string Of(string title)
    {
        string dashed = new(title.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
        while (dashed.Contains("--", StringComparison.Ordinal))
        {
            dashed = dashed.Replace("--", "-", StringComparison.Ordinal);
        }
        return dashed.Trim('-');
    }
}
