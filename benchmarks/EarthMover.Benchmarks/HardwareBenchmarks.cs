using BenchmarkDotNet.Attributes;
using EarthMover.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Benchmarks;

/// <summary>
/// The losses on processors without 256-bit vectors: each job runs this class in its own process, with AVX
/// switched off (DOTNET_EnableAVX=0: 128-bit vectors, the nearest stand-in for ARM64 here) or every vector
/// instruction switched off (DOTNET_EnableHWIntrinsic=0: the losses fall back to the tensor-operation form),
/// against cross_entropy in the same process (libtorch's own native code keeps its vectors in every job).
/// </summary>
[Config(typeof(HardwareConfig))]
[MemoryDiagnoser]
public class HardwareBenchmarks
{
    private Tensor _logits = null!;
    private Tensor _target = null!;
    private GroundDistance _distance = null!;
    private XemdWeights _weights = null!;

    [Params(256)]
    public int Batch { get; set; }

    [Params(8, 100, 1000)]
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

    [Benchmark(Description = "squared_emd_loss, tensor operations")]
    public void SquaredEmdTensorOps() => LossSteps.Step(_logits, () => LossSteps.SquaredEmd(_logits, _target, LossBackend.TensorOps));

    [Benchmark(Description = "ground_emd_loss, tensor operations")]
    public void GroundEmdTensorOps() => LossSteps.Step(_logits, () => EarthMover.GroundEmd.Compute(_logits, _target, _distance, EmdInput.Logits, null, nn.Reduction.Mean, LossBackend.TensorOps));

    [Benchmark(Description = "xemd_loss, tensor operations")]
    public void XemdTensorOps() => LossSteps.Step(_logits, () => EarthMover.Xemd.Compute(_logits, _target, _weights, EmdInput.Logits, null, nn.Reduction.Mean, LossBackend.TensorOps));
}
