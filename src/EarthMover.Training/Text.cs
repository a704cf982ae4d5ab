using System.Globalization;

namespace EarthMover.Training;

/// <summary>Small pieces of wording shared by the console and the reports.</summary>
internal static class Text
{
    /// <summary>A percentage for messages: 0.973 → "97%".</summary>
    public static string Percent(double share) => (100 * share).ToString("0", CultureInfo.InvariantCulture) + "%";
}
