using BenchmarkDotNet.Attributes;
using EarthMover.Engine;
using EarthMover.Kernels.Rows;

namespace EarthMover.Benchmarks;

/// <summary>
/// The float32 row kernels of the ordinal losses alone (<see cref="ISingleRowKernel"/>: loss and gradient of one
/// row, on one thread, without tensors, checks or threads around them), 4096 rows of uniform logits in [-2, 2] and
/// random targets. Where <see cref="OrdinalLossBenchmarks"/> measures what a user pays, this isolates the arithmetic
/// a kernel change touches; soft-label CE (SORD), a softmax and one pass over the row, is the baseline.
/// </summary>
public class RowKernelBenchmarks
{
    private const int Rows = 4096;

    private float[] _logits = null!;
    private float[] _gradient = null!;
    private int[] _targets = null!;
    private readonly Dictionary<string, (ISingleRowKernel Kernel, int Width)> _kernels = [];

    /// <summary>Classes K (rows of K logits, K - 1 for the threshold models).</summary>
    [Params(10, 100)]
    public int Classes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _logits = new float[Rows * Classes];
        for (int i = 0; i < _logits.Length; i++)
        {
            _logits[i] = (float)(random.NextDouble() * 4 - 2);
        }
        _gradient = new float[Rows * Classes];
        _targets = new int[Rows];
        for (int i = 0; i < Rows; i++)
        {
            _targets[i] = random.Next(Classes);
        }
        Add("sord", new SoftLabelCeDefinition(SoftLabelShape.Sord(1.0), null, null));
        Add("coral", new CoralDefinition(null));
        Add("ecoc", new EcocDefinition());
        Add("cdw_ce", new CdwCeDefinition(null));
        Add("slace", new SlaceDefinition(1.0));
    }

    private void Add(string name, LossDefinition definition)
    {
        definition.CheckClasses(Classes);
        if (definition.RawRowKernel(Classes, logits: true) is ISingleRowKernel { HasSingleRows: true } kernel)
        {
            _kernels[name] = (kernel, definition.InputWidth(Classes));
        }
    }

    private double RunRows(string name)
    {
        if (!_kernels.TryGetValue(name, out var entry))
        {
            throw new InvalidOperationException($"{name} has no float32 rows on this processor (AVX2 needed).");
        }
        var (kernel, width) = entry;
        double sum = 0;
        for (int i = 0; i < Rows; i++)
        {
            if (kernel.TryRowSingle(_logits.AsSpan(i * width, width), _targets[i], _gradient.AsSpan(i * width, width), 1f, out double loss))
            {
                sum += loss;
            }
        }
        return sum;
    }

    [Benchmark(Baseline = true, Description = "soft_label_ce (sord)")]
    public double Sord() => RunRows("sord");

    [Benchmark(Description = "coral (threshold)")]
    public double Coral() => RunRows("coral");

    [Benchmark(Description = "ecoc")]
    public double Ecoc() => RunRows("ecoc");

    [Benchmark(Description = "cdw_ce")]
    public double CdwCe() => RunRows("cdw_ce");

    [Benchmark(Description = "slace")]
    public double Slace() => RunRows("slace");
}
