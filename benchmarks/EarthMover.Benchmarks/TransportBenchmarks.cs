using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Benchmarks;

/// <summary>
/// Forward plus backward of the losses for target distributions against TorchSharp's cross_entropy with
/// the same probability targets, on the same float32 logits on the CPU: B = 256 rows, C classes. Targets are
/// discretised Gaussians around random classes (σ = 1.5 classes), predictions random (logits N(0, 2²)).
/// Distances: |i - j| (a metric: the solver moves only p - t), |i - j|² (not a metric: the full problem),
/// Euclidean between random points in 8 dimensions (a metric without the line's structure), and the
/// average-linkage tree of the latter (what <see cref="GroundDistanceLearner.Tree"/> gives).
/// </summary>
[MemoryDiagnoser]
public class TransportBenchmarks
{
    private Tensor _logits = null!;
    private Tensor _target = null!;
    private GroundDistance _line = null!;
    private GroundDistance _lineSquared = null!;
    private GroundDistance _euclidean = null!;
    private ClassTree _tree = null!;
    private double _epsilon;

    [Params(256)]
    public int Batch { get; set; }

    [Params(5, 10, 20, 50, 100)]
    public int Classes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var generator = torch.manual_seed(1);
        _logits = (torch.randn(Batch, Classes, generator: generator) * 2).requires_grad_();
        _target = GaussianTargets(Batch, Classes, 1.5, generator);
        _line = GroundDistance.Evenly(Classes);
        _lineSquared = GroundDistance.Evenly(Classes, p: 2);
        _euclidean = RandomEuclidean(Classes, 8, new Random(1));
        _tree = ClassTree.FromDistance(_euclidean);
        _epsilon = 0.1 * (Classes - 1);
        // The solvers' per-distance tables are made once, outside the measurement.
        Step(() => earthmover.nn.functional.emd_loss(_logits, _target, _line));
        Step(() => earthmover.nn.functional.emd_loss(_logits, _target, _lineSquared));
        Step(() => earthmover.nn.functional.emd_loss(_logits, _target, _euclidean));
        Step(() => earthmover.nn.functional.tree_emd_loss(_logits, _target, _tree));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _logits.Dispose();
        _target.Dispose();
    }

    [Benchmark(Baseline = true, Description = "cross_entropy")]
    public void CrossEntropy() => Step(() => torch.nn.functional.cross_entropy(_logits, _target));

    [Benchmark(Description = "emd_loss |i-j|")]
    public void EmdLine() => Step(() => earthmover.nn.functional.emd_loss(_logits, _target, _line));

    [Benchmark(Description = "emd_loss |i-j|^2")]
    public void EmdLineSquared() => Step(() => earthmover.nn.functional.emd_loss(_logits, _target, _lineSquared));

    [Benchmark(Description = "emd_loss Euclidean")]
    public void EmdEuclidean() => Step(() => earthmover.nn.functional.emd_loss(_logits, _target, _euclidean));

    [Benchmark(Description = "tree_emd_loss")]
    public void TreeEmd() => Step(() => earthmover.nn.functional.tree_emd_loss(_logits, _target, _tree));

    [Benchmark(Description = "wasserstein_1d_loss q=2")]
    public void LineW2() => Step(() => earthmover.nn.functional.wasserstein_1d_loss(_logits, _target));

    [Benchmark(Description = "sinkhorn_loss 100 it.")]
    public void Sinkhorn() => Step(() => earthmover.nn.functional.sinkhorn_loss(_logits, _target, _line, _epsilon, max_iter: 100, tol: 0));

    /// <summary>Distances between random points with standard normal coordinates.</summary>
    internal static GroundDistance RandomEuclidean(int classes, int dimensions, Random random)
    {
        var points = new double[classes, dimensions];
        for (int i = 0; i < classes; i++)
        {
            for (int k = 0; k < dimensions; k++)
            {
                points[i, k] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            }
        }
        var d = new double[classes, classes];
        for (int i = 0; i < classes; i++)
        {
            for (int j = 0; j < classes; j++)
            {
                double sum = 0;
                for (int k = 0; k < dimensions; k++)
                {
                    sum += (points[i, k] - points[j, k]) * (points[i, k] - points[j, k]);
                }
                d[i, j] = Math.Sqrt(sum);
            }
        }
        return GroundDistance.FromMatrix(d);
    }

    /// <summary>Rows of exp(-(k - centre)² / 2σ²), normalised, centres drawn uniformly among the classes.</summary>
    internal static Tensor GaussianTargets(int batch, int classes, double sigma, Generator generator)
    {
        using var scope = torch.NewDisposeScope();
        var centres = torch.randint(0, classes, batch, generator: generator).to(ScalarType.Float32).unsqueeze(1);
        var k = torch.arange(classes, dtype: ScalarType.Float32).unsqueeze(0);
        var d = (k - centres) / sigma;
        return (-0.5 * d * d).softmax(1).MoveToOuterDisposeScope();
    }

    private void Step(Func<Tensor> loss)
    {
        using var scope = torch.NewDisposeScope();
        loss().backward();
        _logits.grad!.Dispose();
        _logits.grad = null;
    }
}
