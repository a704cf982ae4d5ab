using BenchmarkDotNet.Attributes;
using EarthMover.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Benchmarks;

/// <summary>
/// The losses on a busy machine: as many other CPU-bound processes as the machine has cores run while each
/// benchmark is measured (started in its setup, stopped in its cleanup), against the same benchmark on a quiet
/// machine (CompetingProcesses = 0), under the program's threading policy and libtorch's default
/// (<see cref="ContentionConfig"/>). Cross-entropy is measured in the same process: the ratio columns compare
/// the losses with it under the same load.
/// </summary>
[Config(typeof(ContentionConfig))]
[MemoryDiagnoser]
public class ContentionBenchmarks : IDisposable
{
    private CompetingLoad? _load;
    private Tensor _logits = null!;
    private Tensor _target = null!;

    [ParamsSource(nameof(Loads))]
    public int CompetingProcesses { get; set; }

    [Params(256, 4096)]
    public int Batch { get; set; }

    [Params(1000)]
    public int Classes { get; set; }

    /// <summary>None, and one per core.</summary>
    public static IEnumerable<int> Loads() => [0, Environment.ProcessorCount];

    [GlobalSetup]
    public void Setup()
    {
        LossSteps.UseProgramThreading();
        torch.manual_seed(1);
        _logits = torch.randn(Batch, Classes).requires_grad_();
        _target = torch.randint(0, Classes, Batch, dtype: ScalarType.Int64);
        _load = new CompetingLoad(CompetingProcesses);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _load?.Dispose();
        _load = null;
        _logits?.Dispose();
        _target?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true, Description = "cross_entropy")]
    public void CrossEntropy() => LossSteps.Step(_logits, () => torch.nn.functional.cross_entropy(_logits, _target));

    [Benchmark(Description = "squared_emd_loss")]
    public void SquaredEmd() => LossSteps.Step(_logits, () => earthmover.nn.functional.squared_emd_loss(_logits, _target));

    [Benchmark(Description = "squared_emd_loss, thread-pool helpers")]
    public void SquaredEmdThreadPool() => LossSteps.Step(_logits, () => LossSteps.SquaredEmd(_logits, _target, WorkerThreads.ThreadPool));

    [Benchmark(Description = "squared_emd_loss, OpenMP helpers")]
    public void SquaredEmdTorchTeam() => LossSteps.Step(_logits, () => LossSteps.SquaredEmd(_logits, _target, WorkerThreads.TorchTeam));

    [Benchmark(Description = "squared_emd_loss, tensor operations")]
    public void SquaredEmdTensorOps() => LossSteps.Step(_logits, () => LossSteps.SquaredEmd(_logits, _target, LossBackend.TensorOps));
}
