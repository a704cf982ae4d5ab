using System.CommandLine;
using EarthMover.Cli.Commands;

namespace EarthMover.Cli;

/// <summary>The earthmover program: one parser, one factory per command. Exit codes: 0 done, 1 failure, 2 bad input, 130 interrupted.</summary>
internal static class CliApp
{
    public const int BadInput = 2;
    public const int Interrupted = 130;

    public static RootCommand Build(CommandOptions options, TextWriter output)
    {
        var root = new RootCommand("earthmover: train, evaluate and compare cross-entropy and squared Earth Mover's Distance losses on ordinal data (CSV or 28x28 images).");
        root.Options.Add(options.Threads);
        root.Subcommands.Add(TrainCommand.Create(options, output));
        root.Subcommands.Add(EvaluateCommand.Create(options, output));
        root.Subcommands.Add(CompareCommand.Create(options, output));
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
            await error.WriteLineAsync($"earthmover: {parsed.Errors[0].Message} (see earthmover --help)");
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
            await error.WriteLineAsync($"earthmover: {e.Message}");
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("earthmover: interrupted; the last finished epoch's checkpoint is intact: continue with train --resume --output <run folder>.");
            return Interrupted;
        }
    }

    /// <summary>Runs a command's body on a worker thread (so that Ctrl-C can be observed) and lets errors reach <see cref="RunAsync"/>.</summary>
    public static Task<int> Guard(Func<int> body) => Task.Run(body);
}
