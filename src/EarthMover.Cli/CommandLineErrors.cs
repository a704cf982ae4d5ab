using System.CommandLine;
using System.CommandLine.Parsing;

namespace EarthMover.Cli;

/// <summary>
/// The parser's errors in the program's words: the option and what it takes ("a whole number", "one of ..."),
/// never .NET type names, and a suggestion for a mistyped command or option.
/// </summary>
internal static class CommandLineErrors
{
    /// <summary>One sentence for the first error of <paramref name="parsed"/>.</summary>
    public static string Describe(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        if (parsed.UnmatchedTokens.Count > 0)
        {
            return Unmatched(parsed.UnmatchedTokens[0], command);
        }
        foreach (var error in parsed.Errors)
        {
            var option = error.SymbolResult as OptionResult ?? (error.SymbolResult as ArgumentResult)?.Parent as OptionResult;
            if (option is not null)
            {
                // A validator's own message names its option and says what is valid; conversion errors do not.
                return error.Message.StartsWith(option.Option.Name, StringComparison.Ordinal) ? error.Message : Value(option);
            }
        }
        if (command.Subcommands.Count > 0 && parsed.Errors.Any(e => e.SymbolResult is CommandResult))
        {
            return $"name a command: {string.Join(", ", command.Subcommands.Select(c => c.Name))}.";
        }
        return parsed.Errors[0].Message;
    }

    /// <summary>"earthmover train", for messages.</summary>
    public static string Path(Command command)
    {
        var names = new List<string>();
        for (Symbol? symbol = command; symbol is not null; symbol = symbol.Parents.FirstOrDefault())
        {
            names.Insert(0, symbol.Name);
        }
        return string.Join(' ', names);
    }

    /// <summary>What an option's value must be, as the user types it.</summary>
    public static string Expected(Option option)
    {
        var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
        return type == typeof(int) || type == typeof(long) ? "a whole number"
            : type == typeof(double) || type == typeof(float) ? "a number"
            : type == typeof(bool) ? "true or false"
            : type.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant()))
            : "a value";
    }

    private static string Unmatched(string token, Command command)
    {
        if (token.StartsWith('-'))
        {
            var names = command.Options.SelectMany(o => o.Aliases.Append(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal));
            return Suggestions.Nearest(token, names) is { } near
                ? $"{Path(command)} has no option {token}; did you mean {near}?"
                : $"{Path(command)} has no option {token}.";
        }
        if (command.Subcommands.Count > 0)
        {
            var commands = command.Subcommands.Select(c => c.Name).ToArray();
            return Suggestions.Nearest(token, commands) is { } near
                ? $"'{token}' is not a command; did you mean {near}?"
                : $"'{token}' is not a command; the commands are {string.Join(", ", commands)}.";
        }
        return $"unexpected argument '{token}': each value follows its option (--option value), and flags such as --quiet take none.";
    }

    private static string Value(OptionResult result)
    {
        var option = result.Option;
        if (result.Tokens.Count == 0)
        {
            return $"{option.Name} needs a value ({Expected(option)}).";
        }
        if (result.Tokens.Count > 1 && option.Arity.MaximumNumberOfValues == 1)
        {
            return $"{option.Name} is given {result.Tokens.Count} times; give it once.";
        }
        return $"{option.Name}: '{result.Tokens[0].Value}' is not {Expected(option)}.";
    }
}
