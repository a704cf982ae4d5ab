using BenchmarkDotNet.Attributes;
using EarthMover.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Benchmarks;

/// <summary>
/// Forward plus backward of each loss against TorchSharp's cross_entropy on the same float32 logits on the
/// CPU: the ratio columns are the cost relative to cross-entropy. Beside the three losses as the library runs
/// them: squared_emd_loss with each source of helper threads for large batches (the .NET thread pool, which the
/// losses use when libtorch's threads wait passively, as here; libtorch's OpenMP team, which they use when those
/// threads spin), and composed of tensor operations (what runs on CUDA, and on processors without vectors).
/// </summary>
[MemoryDiagnoser]
public class LossBenchmarks
{
    private Tensor _logits = null!;
    private Tensor _target = null!;
    private GroundDistance _distance = null!;
    private XemdWeights _weights = null!;

    [Params(32, 256, 4096)]
    public int Batch { get; set; }

    [Params(2, 8, 100, 1000)]
    public int Classes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        LossSteps.UseProgramThreading();
        torch.manual_seed(1);
        _logits = torch.randn(Batch, Classes).requires_grad_();
        _target = torch.randint(0, Classes, Batch, dtype: ScalarType.Int64);
        _distance = GroundDistance.Evenly(Classes);
        _weights = XemdWeights.FromDistance(_distance, XemdPreset.Xemd2);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _logits.Dispose();
        _target.Dispose();
    }

    [Benchmark(Baseline = true, Description = "cross_entropy")]
    public void CrossEntropy() => LossSteps.Step(_logits, () => torch.nn.functional.cross_entropy(_logits, _target));

    [Benchmark(Description = "squared_emd_loss")]
    public void SquaredEmd() => LossSteps.Step(_logits, () => earthmover.nn.functional.squared_emd_loss(_logits, _target));

    [Benchmark(Description = "ground_emd_loss")]
    public void GroundEmd() => LossSteps.Step(_logits, () => earthmover.nn.functional.ground_emd_loss(_logits, _target, _distance));

    [Benchmark(Description = "xemd_loss")]
    public void Xemd() => LossSteps.Step(_logits, () => earthmover.nn.functional.xemd_loss(_logits, _target, _weights));

    [Benchmark(Description = "squared_emd_loss, thread-pool helpers")]
    public void SquaredEmdThreadPool() => LossSteps.Step(_logits, () => LossSteps.SquaredEmd(_logits, _target, WorkerThreads.ThreadPool));

    [Benchmark(Description = "squared_emd_loss, OpenMP helpers")]
    public void SquaredEmdTorchTeam() => LossSteps.Step(_logits, () => LossSteps.SquaredEmd(_logits, _target, WorkerThreads.TorchTeam));

    [Benchmark(Description = "squared_emd_loss, tensor operations")]
    public void SquaredEmdTensorOps() => LossSteps.Step(_logits, () => LossSteps.SquaredEmd(_logits, _target, LossBackend.TensorOps));
}
