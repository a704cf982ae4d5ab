using System.Runtime.InteropServices;

namespace EarthMover.Tests.Support;

/// <summary>
/// Bytes of native memory in use, from glibc's allocator statistics (mallinfo2: all arenas plus mmapped
/// blocks). libtorch allocates CPU tensors through malloc, so a leak of tensors shows here, while the
/// managed heap's growth and the allocator's retained free pages do not.
/// </summary>
internal static partial class NativeHeap
{
    public static bool Available => OperatingSystem.IsLinux() && Probe();

    public static long InUse()
    {
        var info = MallInfo2();
        return (long)(info.Uordblks + info.Hblkhd);
    }

    private static bool Probe()
    {
        try
        {
            MallInfo2();
            return true;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "mallinfo2")]
    private static partial Info MallInfo2();

    [StructLayout(LayoutKind.Sequential)]
    private readonly struct Info
    {
        public readonly nuint Arena;
        public readonly nuint Ordblks;
        public readonly nuint Smblks;
        public readonly nuint Hblks;
        public readonly nuint Hblkhd;
        public readonly nuint Usmblks;
        public readonly nuint Fsmblks;
        public readonly nuint Uordblks;
        public readonly nuint Fordblks;
        public readonly nuint Keepcost;
    }
}
