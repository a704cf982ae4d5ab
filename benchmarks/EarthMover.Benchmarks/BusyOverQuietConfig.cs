using BenchmarkDotNet.Configs;

namespace EarthMover.Benchmarks;

/// <summary>Only the <see cref="BusyOverQuietColumn"/>, for benchmarks with a CompetingProcesses parameter and the base job.</summary>
public sealed class BusyOverQuietConfig : ManualConfig
{
    public BusyOverQuietConfig()
    {
        AddColumn(new BusyOverQuietColumn());
    }
}
