using BenchmarkDotNet.Running;

namespace EarthMover.Benchmarks;

/// <summary>Runs the benchmarks chosen on the command line (see benchmarks/README.md).</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        // In process: BenchmarkDotNet's generated out-of-process project skips Directory.Build.targets, so
        // its copy of TorchSharp's native library would miss the Debian 12 fix (build/TorchSharpNativeFix.targets).
        if (!args.Contains("--inProcess"))
        {
            args = [.. args, "--inProcess"];
        }
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
