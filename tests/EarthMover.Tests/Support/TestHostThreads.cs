using System.Runtime.CompilerServices;

namespace EarthMover.Tests.Support;

/// <summary>The test host runs with the library's recommended threading policy, as the earthmover program does.</summary>
internal static class TestHostThreads
{
    // Runs when the test assembly is first used, before any test loads libtorch: on a busy machine (several
    // builds at once) spinning OpenMP threads otherwise slow some tests tens of times.
#pragma warning disable CA2255 // A module initializer is what runs early enough here, in a test assembly, not a library.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void UsePassiveWaiting() => CpuThreading.UsePassiveWaiting();
}
