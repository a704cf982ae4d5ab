using System.Globalization;

namespace EarthMover.Training;

/// <summary>Counts in messages: "1 row", "2 rows", "1,234 rows".</summary>
internal static class Plural
{
    public static string Of(long count, string noun, string? plural = null) =>
        count.ToString("N0", CultureInfo.InvariantCulture) + " " + (count == 1 ? noun : plural ?? noun + "s");
}
