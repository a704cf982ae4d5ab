using System.Globalization;

namespace EarthMover.Cli;

/// <summary>Small pieces of wording shared by the console and the reports.</summary>
internal static class Text
{
    /// <summary>"1 epoch", "2 epochs": a count with its noun in the right number (nouns that take an s).</summary>
    public static string Count(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? "" : "s")}");

    /// <summary>A percentage for messages: 0.973 → "97%".</summary>
    public static string Percent(double share) => (100 * share).ToString("0", CultureInfo.InvariantCulture) + "%";
}
