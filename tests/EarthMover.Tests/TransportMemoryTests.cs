using Xunit.Abstractions;
using System.Diagnostics;
using EarthMover.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Tests;

/// <summary>A long training loop with the losses for target distributions must not grow native memory.</summary>
[Collection(nameof(MemoryTests))]
public class TransportMemoryTests(ITestOutputHelper output)
{
    private readonly ITestOutputHelper _output = output;

    public static TheoryData<int> Losses() => new() { 0, 1, 2, 3, 4, 5 };

    [Theory]
    [MemberData(nameof(Losses))]
    public void Repeated_forward_backward_calls_do_not_grow_native_memory(int loss)
    {
        // 256 x 12 float32: a leaked gradient would be 12 KiB a call, 9 MiB or more over the measured calls
        // (fewer for Sinkhorn, whose tensor-operation iterations take milliseconds a call).
        bool sinkhorn = loss >= 4;
        int warmup = sinkhorn ? 200 : 500, calls = sinkhorn ? 800 : 2000;
        using var z = torch.randn(256, 12).requires_grad_();
        using var t = torch.randn(256, 12).softmax(1);
        using var k = torch.randint(0, 12, 256, dtype: ScalarType.Int64);
        var line = GroundDistance.Evenly(12);
        var squared = GroundDistance.Evenly(12, p: 2);
        var tree = ClassTree.FromDistance(line);

        void Step()
        {
            using var scope = torch.NewDisposeScope();
            var value = loss switch
            {
                0 => earthmover.nn.functional.emd_loss(z, t, line),
                1 => earthmover.nn.functional.emd_loss(z, t, squared),
                2 => earthmover.nn.functional.tree_emd_loss(z, t, tree),
                3 => earthmover.nn.functional.wasserstein_1d_loss(z, k),
                4 => earthmover.nn.functional.sinkhorn_loss(z, t, line, 0.5, max_iter: 20),
                _ => earthmover.nn.functional.sinkhorn_loss(z, t, line, 0.5, SinkhornQuantity.Divergence, max_iter: 20),
            };
            value.backward();
            z.grad!.zero_();
        }

        for (int i = 0; i < warmup; i++)
        {
            Step();
        }
        long before = Settle();
        for (int i = 0; i < calls; i++)
        {
            Step();
        }
        long growth = Settle() - before;
        _output.WriteLine($"loss {loss}: native memory in use grew by {growth / 1024} KiB over {calls} calls");
        Assert.True(growth < 8L << 20, $"native memory in use grew by {growth / 1024} KiB over {calls} calls after {warmup}");
    }

    private static long Settle()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        if (NativeHeap.Available)
        {
            return NativeHeap.InUse();
        }
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }
}
