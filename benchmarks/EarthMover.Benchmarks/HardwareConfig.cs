using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace EarthMover.Benchmarks;

/// <summary>
/// Three jobs, each a process of its own: this processor as it is, without AVX (DOTNET_EnableAVX=0), and
/// without any vector instruction (DOTNET_EnableHWIntrinsic=0). The run settings and the toolchain come from
/// the base job (see <see cref="Program"/>).
/// </summary>
public sealed class HardwareConfig : ManualConfig
{
    public HardwareConfig()
    {
        AddJob(Job.Default.WithId("this processor"));
        AddJob(Job.Default.WithEnvironmentVariable("DOTNET_EnableAVX", "0").WithId("EnableAVX=0"));
        AddJob(Job.Default.WithEnvironmentVariable("DOTNET_EnableHWIntrinsic", "0").WithId("EnableHWIntrinsic=0"));
    }
}
