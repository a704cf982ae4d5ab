using EarthMover.Engine;
using BenchmarkDotNet.Attributes;
using EarthMover.Kernels;
using static TorchSharp.torch;

namespace EarthMover.Benchmarks;

/// <summary>
/// The losses on processors without 256-bit vectors (<see cref="LossComparison"/>): each job runs in its own
/// process, with AVX switched off (DOTNET_EnableAVX=0: 128-bit vectors, the nearest stand-in for ARM64 here) or
/// every vector instruction switched off (DOTNET_EnableHWIntrinsic=0: scalar kernels), beside the
/// tensor-operation form of each loss. cross_entropy runs in the same process; libtorch's native code keeps its
/// own vectors in every job.
/// </summary>
[Config(typeof(HardwareConfig))]
public class HardwareBenchmarks : LossComparison
{
    [Params(256)]
    public override int Batch { get; set; }

    [Params(8, 100, 1000)]
    public override int Classes { get; set; }

    [Benchmark(Description = "squared_emd_loss, tensor operations")]
    public void SquaredEmdTensorOps() => LossSteps.Step(Logits, () => LossSteps.SquaredEmd(Logits, Target, LossBackend.TensorOps));

    [Benchmark(Description = "ground_emd_loss, tensor operations")]
    public void GroundEmdTensorOps() => LossSteps.Step(Logits, () => LossEngine.Run(new GroundEmdDefinition(Distance), Logits, Target, null, null, nn.Reduction.Mean, EmdInput.Logits, LossBackend.TensorOps));

    [Benchmark(Description = "xemd_loss, tensor operations")]
    public void XemdTensorOps() => LossSteps.Step(Logits, () => LossEngine.Run(new XemdDefinition(Weights, null), Logits, Target, null, null, nn.Reduction.Mean, EmdInput.Logits, LossBackend.TensorOps));
}
