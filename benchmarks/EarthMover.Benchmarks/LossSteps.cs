using EarthMover.Engine;
using EarthMover.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Benchmarks;

/// <summary>What every loss benchmark measures: forward plus backward on leaf logits, the gradient freed after.</summary>
internal static class LossSteps
{
    /// <summary>
    /// The threading policy of the earthmover program (<see cref="CpuThreading.UsePassiveWaiting"/>, unless the job's
    /// environment sets one): call it first in a benchmark's setup, before anything loads libtorch.
    /// </summary>
    public static void UseProgramThreading() => CpuThreading.UsePassiveWaiting();

    public static void Step(Tensor logits, Func<Tensor> loss)
    {
        using var scope = torch.NewDisposeScope();
        loss().backward();
        logits.grad!.Dispose();
        logits.grad = null;
    }

    /// <summary>squared_emd_loss with its defaults through a chosen implementation.</summary>
    public static Tensor SquaredEmd(Tensor logits, Tensor target, LossBackend backend) =>
        LossEngine.Run(new SquaredEmdDefinition(null, null, null, null), logits, target, null, null, nn.Reduction.Mean, LossDefaults.Input, backend);

    /// <summary>squared_emd_loss with its defaults through the fused kernel with chosen helper threads.</summary>
    public static Tensor SquaredEmd(Tensor logits, Tensor target, WorkerThreads threads)
    {
        int classes = (int)logits.size(1);
        var kernel = new TileKernel<float, OrdinalEmdKernel<float>>(new(classes, Enumerable.Repeat(1.0, classes - 1).ToArray(), LossDefaults.P, 1.0 / classes, root: false));
        var fused = LossDispatch.Fused(kernel, target, null, nn.Reduction.Mean, logits: true, FusedOptions.Default with { Threads = threads });
        return FusedLossFunction.Apply(logits, fused, new(logits, () => SquaredEmd(logits, target, LossBackend.TensorOps)));
    }
}
