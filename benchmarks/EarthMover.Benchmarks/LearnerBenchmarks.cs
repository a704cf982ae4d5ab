using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Benchmarks;

/// <summary>
/// What streaming the learned ground distance adds to a training step: a small MLP (64 → 128 → 64 → 10) on
/// a 256 x 64 batch, with and without accumulating its penultimate features.
/// </summary>
[MemoryDiagnoser]
public class StreamingLearnerBenchmarks : IDisposable
{
    private nn.Module<Tensor, Tensor> _body = null!;
    private nn.Module<Tensor, Tensor> _head = null!;
    private optim.Optimizer _optimizer = null!;
    private GroundDistanceLearner _learner = null!;
    private Tensor _input = null!;
    private Tensor _labels = null!;

    [GlobalSetup]
    public void Setup()
    {
        LossSteps.UseProgramThreading();
        torch.manual_seed(1);
        _body = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU());
        _head = nn.Linear(64, 10);
        _optimizer = optim.Adam(_body.parameters().Concat(_head.parameters()), lr: 1e-3);
        _learner = new GroundDistanceLearner(10, 64);
        _input = torch.randn(256, 64);
        _labels = torch.randint(0, 10, 256, dtype: ScalarType.Int64);
    }

    public void Dispose()
    {
        _learner.Dispose();
        _body.Dispose();
        _head.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true, Description = "training step")]
    public void Step() => Train(accumulate: false);

    [Benchmark(Description = "training step + streaming learner")]
    public void StepWithLearner() => Train(accumulate: true);

    private void Train(bool accumulate)
    {
        using var scope = torch.NewDisposeScope();
        _optimizer.zero_grad();
        var features = _body.call(_input);
        var loss = nn.functional.cross_entropy(_head.call(features), _labels);
        if (accumulate)
        {
            _learner.Accumulate(features, _labels);
        }
        loss.backward();
        _optimizer.step();
    }
}

/// <summary>Recomputing centroids, D and W at the end of an epoch for C = 1000 classes and F = 4096 features.</summary>
[MemoryDiagnoser]
public class GroundDistanceRecomputeBenchmarks : IDisposable
{
    private GroundDistanceLearner _learner = null!;

    [GlobalSetup]
    public void Setup()
    {
        LossSteps.UseProgramThreading();
        torch.manual_seed(2);
        _learner = new GroundDistanceLearner(1000, 4096);
        using var features = torch.rand(2000, 4096);
        using var labels = torch.arange(2000, dtype: ScalarType.Int64) % 1000;
        _learner.Accumulate(features, labels);
    }

    public void Dispose()
    {
        _learner.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Description = "EndEpoch + D + W (C=1000, F=4096)")]
    public XemdWeights Recompute()
    {
        _learner.EndEpoch();
        return _learner.Weights(XemdPreset.Xemd1);
    }
}
