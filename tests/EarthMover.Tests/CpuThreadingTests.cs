using System.Diagnostics;
using EarthMover.Tests.Cli;
using TorchSharp;

namespace EarthMover.Tests;

/// <summary>
/// The threading policy: the wait policy reaches libgomp only through the C environment and only before
/// libtorch loads, so it is checked in a fresh earthmover process, whose libgomp prints what it read
/// (OMP_DISPLAY_ENV=VERBOSE: GOMP_SPINCOUNT is 0 when idle threads sleep, 300000 by default, 3e10 when active).
/// </summary>
[Collection(nameof(ThreadingTests))]
public class CpuThreadingTests
{
    [Fact]
    public void The_program_makes_libtorch_threads_wait_passively()
    {
        var (exit, error) = RunProgram(waitPolicy: null);
        Assert.True(exit == 0, error);
        Assert.Contains("GOMP_SPINCOUNT = '0'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wait_policy_the_user_set_is_kept()
    {
        var (exit, error) = RunProgram(waitPolicy: "active");
        Assert.True(exit == 0, error);
        Assert.Contains("GOMP_SPINCOUNT = '30000000000'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_late_once_libtorch_is_loaded_unless_the_environment_sets_a_policy()
    {
        _ = torch.get_num_threads();
        string? before = NativeEnvironment.Get("OMP_WAIT_POLICY");
        try
        {
            NativeEnvironment.Set("OMP_WAIT_POLICY", ""); // empty counts as unset
            var e = Assert.Throws<InvalidOperationException>(() => CpuThreading.UsePassiveWaiting());
            Assert.Contains("before the first TorchSharp call", e.Message, StringComparison.Ordinal);
            NativeEnvironment.Set("OMP_WAIT_POLICY", "passive");
            Assert.True(CpuThreading.UsePassiveWaiting());
            NativeEnvironment.Set("OMP_WAIT_POLICY", "ACTIVE");
            Assert.False(CpuThreading.UsePassiveWaiting());
        }
        finally
        {
            NativeEnvironment.Set("OMP_WAIT_POLICY", before ?? "");
        }
    }

    [Fact]
    public void The_native_environment_is_what_the_c_library_reads()
    {
        string name = "EARTHMOVER_TEST_" + Guid.NewGuid().ToString("N");
        NativeEnvironment.Set(name, "x y");
        Assert.Equal("x y", NativeEnvironment.Get(name));
        Assert.Null(NativeEnvironment.Get(name + "_UNSET"));
    }

    [Fact]
    public void Threads_sets_libtorch_and_the_losses_and_refuses_zero()
    {
        int before = CpuThreading.Threads;
        try
        {
            CpuThreading.SetThreads(1);
            Assert.Equal(1, torch.get_num_threads());
            Assert.Equal(1, EarthMover.Kernels.FusedOptions.Default.Workers);
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => CpuThreading.SetThreads(0));
            Assert.Equal("threads", e.ParamName);
        }
        finally
        {
            CpuThreading.SetThreads(before);
        }
    }

    [Fact]
    public void Threads_option_of_the_program()
    {
        int before = CpuThreading.Threads;
        try
        {
            string folder = CliRunner.TempFolder();
            var (exit, _, error) = CliRunner.Run("--threads", "1", "train", "--rows", "300", "--epochs", "1", "-q", "-o", folder);
            Assert.True(exit == 0, error);
            Assert.Equal(1, torch.get_num_threads());
            var (bad, _, message) = CliRunner.Run("train", "--threads", "0", "--rows", "300", "-o", CliRunner.TempFolder());
            Assert.Equal(2, bad);
            Assert.Equal("earthmover: --threads must be at least 1. (see earthmover train --help)", message.Trim());
        }
        finally
        {
            CpuThreading.SetThreads(before);
        }
    }

    // A fresh earthmover process (the apphost next to the tests) training one epoch on 300 rows.
    private static (int Exit, string Error) RunProgram(string? waitPolicy)
    {
        string folder = CliRunner.TempFolder();
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "EarthMover.Cli.exe" : "EarthMover.Cli"))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var arg in new[] { "train", "--rows", "300", "--epochs", "1", "-q", "-o", folder })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("OMP_WAIT_POLICY");
        start.Environment.Remove("GOMP_SPINCOUNT");
        if (waitPolicy is not null)
        {
            start.Environment["OMP_WAIT_POLICY"] = waitPolicy;
        }
        start.Environment["OMP_DISPLAY_ENV"] = "VERBOSE";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = output.Result;
        return (process.ExitCode, error);
    }
}
