using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;

namespace EarthMover.Cli.Evidence;

/// <summary>
/// The machine a suite's training ran on, recorded in every raw row: two machines can give different rows for the
/// same seed (floating-point sums in another order, other vector widths), so a row is only reproducible on the
/// machine it names.
/// </summary>
/// <param name="Cpu">The processor's model name (Linux: /proc/cpuinfo), else the architecture; with the logical core count.</param>
/// <param name="Simd">The vector width the fused kernels run at here (256, 128 bits or scalar), and whether 512-bit vectors are accelerated.</param>
/// <param name="Os">The operating system (<see cref="RuntimeInformation.OSDescription"/>).</param>
/// <param name="DotNet">The .NET runtime (<see cref="RuntimeInformation.FrameworkDescription"/>).</param>
/// <param name="TorchSharp">The TorchSharp assembly's version.</param>
/// <param name="Threads">libtorch's thread count (<c>torch.get_num_threads()</c>) during the training.</param>
internal sealed record MachineInfo(string Cpu, string Simd, string Os, string DotNet, string TorchSharp, int Threads)
{
    /// <summary>This process's machine, read now (the thread count as libtorch reports it at this moment).</summary>
    public static MachineInfo Current() => new(CpuModel(), SimdWidth(), RuntimeInformation.OSDescription.Trim(), RuntimeInformation.FrameworkDescription.Trim(), TorchSharpVersion(), torch.get_num_threads());

    /// <summary>One line: "cpu | simd | os | .NET | TorchSharp | threads".</summary>
    public string Describe() => $"{Cpu}; {Simd}; {Os}; {DotNet}; TorchSharp {TorchSharp}; {Threads} thread{(Threads == 1 ? "" : "s")}";

    private static string CpuModel()
    {
        string? model = null;
        try
        {
            if (OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo"))
            {
                model = File.ReadLines("/proc/cpuinfo")
                    .Where(l => l.StartsWith("model name", StringComparison.Ordinal) || l.StartsWith("Model", StringComparison.Ordinal))
                    .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())
                    .FirstOrDefault(l => l.Length > 0);
            }
        }
        catch (IOException)
        {
            // Unreadable: the architecture below says what can be said.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
        return $"{model ?? RuntimeInformation.ProcessArchitecture.ToString()} ({Environment.ProcessorCount} logical cores)";
    }

    // The same choice as the library's kernels (EarthMover.Kernels.KernelWidths.Current).
    private static string SimdWidth()
    {
        string kernels = Vector256.IsHardwareAccelerated ? "256-bit" : Vector128.IsHardwareAccelerated ? "128-bit" : "scalar";
        return $"{kernels} kernels (512-bit vectors {(Vector512.IsHardwareAccelerated ? "accelerated" : "not accelerated")})";
    }

    private static string TorchSharpVersion()
    {
        var assembly = typeof(torch).Assembly;
        string? informational = assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion;
        // "0.107.0+<commit>": the version without the build metadata.
        return (informational?.Split('+')[0]) ?? assembly.GetName().Version?.ToString() ?? "unknown";
    }
}
