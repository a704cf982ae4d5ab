using System.Globalization;

namespace EarthMover.Training.Methods;

/// <summary>
/// A parameter of a loss, given in --loss after the name: <c>cdw-ce:alpha=2</c>, or by position (the first
/// parameter) <c>cdw-ce:2</c>. A number with its valid range, or one of a few words.
/// </summary>
/// <param name="Name">The parameter's name, as typed.</param>
/// <param name="Summary">What it is, one short phrase.</param>
/// <param name="Default">Its default, as typed.</param>
/// <param name="Range">The valid values in words, e.g. "> 0" or "absolute|squared", for help and messages.</param>
/// <param name="Accepts">For a number: whether a finite value is valid; null for a word parameter.</param>
/// <param name="Choices">For a word parameter: the words it takes; null for a number.</param>
internal sealed record LossParameter(string Name, string Summary, string Default, string Range, Func<double, bool>? Accepts, IReadOnlyList<string>? Choices = null)
{
    /// <summary>A number parameter.</summary>
    public static LossParameter Number(string name, string summary, double defaultValue, string range, Func<double, bool> accepts) =>
        new(name, summary, Text(defaultValue), range, accepts);

    /// <summary>A word parameter.</summary>
    public static LossParameter Word(string name, string summary, string defaultValue, params string[] choices) =>
        new(name, summary, defaultValue, string.Join('|', choices), null, choices);

    /// <summary>The parameter as the losses table shows it, e.g. "alpha > 0 (0.5)".</summary>
    public string Describe() => Choices is null ? $"{Name} {Range} ({Default})" : $"{Name}={Range} ({Default})";

    /// <summary>Checks a value typed for this parameter and returns it in canonical form (numbers in the invariant culture, words in lower case).</summary>
    /// <param name="text">The value as typed.</param>
    /// <param name="loss">The loss's name, for the message.</param>
    /// <param name="option">The option it came in (--loss, --losses, the suite's 'loss').</param>
    /// <exception cref="UserError">The value is not valid, in one line naming the option, the loss and the parameter.</exception>
    public string Canonical(string text, string loss, string option)
    {
        string where = $"{option} {loss}: {Name}";
        if (Choices is not null)
        {
            string word = text.Trim().ToLowerInvariant();
            return Choices.Contains(word) ? word : throw new UserError($"{where} '{text}' must be {string.Join(" or ", Choices)}.");
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            string comma = text.Replace(',', '.');
            throw new UserError(double.TryParse(comma, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && text.Contains(',', StringComparison.Ordinal)
                ? $"{where} '{text}' is not a number; write decimals with a point ({comma})."
                : $"{where} '{text}' is not a number.");
        }
        if (!double.IsFinite(value))
        {
            throw new UserError($"{where} '{text}' is not a finite number.");
        }
        return Accepts!(value) ? Text(value) : throw new UserError($"{where} {Text(value)}: it must be {Range}.");
    }

    /// <summary>A number as the program writes it.</summary>
    public static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
