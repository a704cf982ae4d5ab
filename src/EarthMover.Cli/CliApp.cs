using System.CommandLine;
using System.CommandLine.Help;
using System.Runtime.InteropServices;
using EarthMover.Cli.Commands;

namespace EarthMover.Cli;

/// <summary>The earthmover program: one parser, one factory per command. Exit codes: 0 done, 1 failure, 2 bad input, 130 interrupted.</summary>
internal static class CliApp
{
    /// <summary>The program's name in usage and messages, however it was started (dotnet run starts EarthMover.Cli).</summary>
    public const string Name = "earthmover";

    public const int BadInput = 2;
    public const int Interrupted = 130;

    /// <summary>The root command and its subcommands (a plain command, so that usage says earthmover rather than the executable's name).</summary>
    public static Command Build(CommandOptions options, TextWriter output)
    {
        var root = new Command(Name, "earthmover: train, evaluate, predict with and compare cross-entropy, Earth Mover's Distance and ordinal losses (CORAL, CORN, soft labels, ...; see earthmover losses) on ordinal data (CSV or 28x28 images).");
        root.Options.Add(new HelpOption());
        root.Options.Add(new VersionOption());
        root.Options.Add(options.Threads);
        root.Subcommands.Add(TrainCommand.Create(options, output));
        root.Subcommands.Add(EvaluateCommand.Create(options, output));
        root.Subcommands.Add(PredictCommand.Create(options, output));
        root.Subcommands.Add(CompareCommand.Create(options, output));
        root.Subcommands.Add(ExportCommand.Create(options, output));
        root.Subcommands.Add(ReportCommand.Create(output));
        root.Subcommands.Add(LossesCommand.Create(output));
        NumberOptions.Apply(root);
        return root;
    }

    /// <summary>Parses and runs a command line; errors become one line on <paramref name="error"/> and an exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancel = default)
    {
        var options = new CommandOptions();
        var root = Build(options, output);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            await error.WriteLineAsync($"{Name}: {CommandLineErrors.Describe(parsed)} (see {CommandLineErrors.Path(parsed.CommandResult.Command)} --help)");
            return BadInput;
        }
        try
        {
            if (parsed.GetValue(options.Threads) is int threads)
            {
                CpuThreading.SetThreads(threads);
            }
            // Ctrl-C cancels the token; training stops after the current batch, which may take a moment.
            var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromSeconds(60) };
            return await parsed.InvokeAsync(configuration, cancel);
        }
        catch (UserError e)
        {
            await error.WriteLineAsync($"{Name}: {OneLine(e.Message)}");
            return BadInput;
        }
        catch (OperationCanceledException e)
        {
            // train and compare can take up where they stopped; other commands start again when rerun.
            await error.WriteLineAsync(e is ComparisonInterrupted
                ? $"{Name}: {e.Message}"
                : parsed.CommandResult.Command.Name == "train"
                    ? $"{Name}: interrupted; the last finished epoch's checkpoint is intact: continue with train --resume --output <run folder>."
                    : $"{Name}: interrupted.");
            return Interrupted;
        }
        catch (Exception e) when (DescribeOutOfMemory(e) is { } message)
        {
            await error.WriteLineAsync($"{Name}: out of memory: {message}; use narrower --hidden layers or a smaller --batch-size.");
            return BadInput;
        }
    }

    /// <summary>A message as one line: a value quoted from a file may hold line breaks (shown as \n).</summary>
    internal static string OneLine(string message) => message.TrimEnd().ReplaceLineEndings("\\n");

    /// <summary>Runs a command's body on a worker thread (so that Ctrl-C can be observed) and lets errors reach <see cref="RunAsync"/>.</summary>
    public static Task<int> Guard(Func<int> body) => Task.Run(body);

    // libtorch reports a failed allocation as an ExternalException ("DefaultCPUAllocator: can't allocate memory:
    // you tried to allocate N bytes"); .NET as OutOfMemoryException. Either becomes one line, not a trace.
    internal static string? DescribeOutOfMemory(Exception e) => e switch
    {
        OutOfMemoryException => "the program ran out of memory",
        ExternalException x when x.Message.Contains("allocate", StringComparison.OrdinalIgnoreCase) || x.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase)
            => $"libtorch could not allocate memory ({x.Message.Split('\n')[0].Trim()})",
        _ => null,
    };
}
