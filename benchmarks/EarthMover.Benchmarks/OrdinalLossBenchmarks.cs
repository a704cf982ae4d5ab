using BenchmarkDotNet.Attributes;

namespace EarthMover.Benchmarks;

/// <summary>
/// Every ordinal loss of issue 19 against cross_entropy (<see cref="OrdinalLossComparison"/>) over B x K in
/// {32, 256, 4096} x {5, 10, 100}.
/// </summary>
public class OrdinalLossBenchmarks : OrdinalLossComparison
{
    /// <summary>32, 256 and 4096, or the sizes of <c>--batches</c>.</summary>
    [ParamsSource(nameof(Batches))]
    public override int Batch { get; set; }

    /// <summary>The batch sizes.</summary>
    public static IEnumerable<int> Batches => BatchSizes.Or(32, 256, 4096);

    /// <summary>Classes K.</summary>
    [Params(5, 10, 100)]
    public override int Classes { get; set; }
}
