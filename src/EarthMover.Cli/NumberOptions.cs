using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace EarthMover.Cli;

/// <summary>
/// How every numeric option reads its value: whole numbers and numbers with a decimal point, as the user types
/// them, with messages that say what is wrong ("too large", "not finite", "a decimal comma") rather than
/// "not a whole number" for 99999999999. The parser's own reading would also take "1,5" as 15 (a thousands
/// separator) and "Infinity" as a number.
/// </summary>
internal static class NumberOptions
{
    /// <summary>Gives every int and double option of <paramref name="command"/> and its subcommands these parsers (options with a parser of their own keep it).</summary>
    public static void Apply(Command command)
    {
        foreach (var option in command.Options)
        {
            switch (option)
            {
                case Option<int> whole when whole.CustomParser is null:
                    whole.CustomParser = result => Whole(result) ?? 0;
                    break;
                case Option<int?> whole when whole.CustomParser is null:
                    whole.CustomParser = Whole;
                    break;
                case Option<double> number when number.CustomParser is null:
                    number.CustomParser = result => Number(result) ?? 0;
                    break;
                case Option<double?> number when number.CustomParser is null:
                    number.CustomParser = Number;
                    break;
            }
        }
        foreach (var sub in command.Subcommands)
        {
            Apply(sub);
        }
    }

    /// <summary>A whole number, or an error naming the option and what is wrong with the text.</summary>
    public static int? Whole(ArgumentResult result)
    {
        var (name, text) = Token(result);
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
        {
            return value;
        }
        if (BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big))
        {
            result.AddError(big > 0
                ? $"{name}: {text} is too large (whole numbers here go up to {int.MaxValue})."
                : $"{name}: {text} is too small (whole numbers here go down to {int.MinValue}).");
            return null;
        }
        result.AddError(double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? $"{name}: '{text}' is not a whole number; give one without a decimal point or exponent."
            : $"{name}: '{text}' is not a whole number.");
        return null;
    }

    /// <summary>A finite number written with a decimal point, or an error naming the option and what is wrong with the text.</summary>
    public static double? Number(ArgumentResult result)
    {
        var (name, text) = Token(result);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            if (double.IsFinite(value))
            {
                return value;
            }
            result.AddError($"{name}: '{text}' is not a finite number; give a finite one.");
            return null;
        }
        result.AddError(double.TryParse(text.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out double comma) && double.IsFinite(comma)
            ? $"{name}: '{text}' is not a number; write decimals with a point ({comma.ToString(CultureInfo.InvariantCulture)})."
            : $"{name}: '{text}' is not a number.");
        return null;
    }

    private static (string Option, string Text) Token(ArgumentResult result)
    {
        string name = (result.Parent as OptionResult)?.Option.Name ?? result.Argument.Name;
        return (name, result.Tokens.Count == 0 ? "" : result.Tokens[0].Value.Trim());
    }
}
