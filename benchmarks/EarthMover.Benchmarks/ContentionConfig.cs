using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace EarthMover.Benchmarks;

/// <summary>
/// Two jobs: the threading policy the earthmover program uses (libtorch's idle threads sleep,
/// <see cref="CpuThreading.UsePassiveWaiting"/>), and libtorch's own default, where they spin for a while
/// (GOMP_SPINCOUNT=300000, what libgomp does when nothing is set), as an application that sets nothing gets it.
/// </summary>
public sealed class ContentionConfig : ManualConfig
{
    public ContentionConfig()
    {
        AddJob(Job.Default.WithId("passive"));
        AddJob(Job.Default.WithEnvironmentVariable("GOMP_SPINCOUNT", "300000").WithId("spinning"));
        AddColumn(new BusyOverQuietColumn());
    }
}
