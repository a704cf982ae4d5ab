using System.Diagnostics;

namespace EarthMover.Benchmarks;

/// <summary>
/// Other processes that keep cores busy while a benchmark runs, as on a shared machine: each a shell loop that
/// spins until it is stopped, or until this process is gone (so that a crashed benchmark leaves none behind).
/// </summary>
public sealed class CompetingLoad : IDisposable
{
    private readonly List<Process> _processes = [];

    /// <summary>Starts <paramref name="processes"/> busy processes (none for 0).</summary>
    public CompetingLoad(int processes)
    {
        int self = Environment.ProcessId;
        for (int i = 0; i < processes; i++)
        {
            var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"while kill -0 {self} 2>/dev/null; do :; done");
            _processes.Add(Process.Start(start)!);
        }
    }

    /// <summary>Stops the processes.</summary>
    public void Dispose()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            process.WaitForExit();
            process.Dispose();
        }
        _processes.Clear();
    }
}
