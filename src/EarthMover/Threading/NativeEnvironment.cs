using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EarthMover;

/// <summary>
/// The C library's environment, which native libraries read; on Linux and macOS .NET keeps its own copy,
/// and <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach the C library's.
/// </summary>
internal static partial class NativeEnvironment
{
    /// <summary>The variable's value in the C environment, or null; an empty value counts as unset (libgomp ignores it).</summary>
    public static string? Get(string name)
    {
        string? value = OperatingSystem.IsWindows()
            ? Environment.GetEnvironmentVariable(name)
            : Marshal.PtrToStringUTF8(GetEnv(name));
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>Sets the variable in the C environment (and in .NET's copy, so that both agree).</summary>
    public static void Set(string name, string value)
    {
        if (!OperatingSystem.IsWindows() && SetEnv(name, value, 1) != 0)
        {
            throw new InvalidOperationException($"setenv({name}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
        // On Windows this is the process environment native code reads.
        Environment.SetEnvironmentVariable(name, value);
    }

    /// <summary>Whether a native library whose file name contains <paramref name="name"/> is loaded in this process.</summary>
    public static bool IsLoaded(string name)
    {
        if (OperatingSystem.IsLinux())
        {
            // One line per mapping, the file's path last: cheaper than Process.Modules, and complete.
            return File.ReadLines("/proc/self/maps").Any(line => line.Contains(name, StringComparison.Ordinal));
        }
        using var process = Process.GetCurrentProcess();
        return process.Modules.Cast<ProcessModule>().Any(m => m.ModuleName.Contains(name, StringComparison.OrdinalIgnoreCase));
    }

    // "libc" is the C library on Linux (libc.so.6) and macOS alike: the runtime maps the name.
    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnv(string name);

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
