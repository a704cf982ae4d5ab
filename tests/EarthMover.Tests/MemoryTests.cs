using System.Diagnostics;
using EarthMover.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Tests;

/// <summary>Runs alone: it reads the process's resident memory, which other tests would disturb.</summary>
[CollectionDefinition(nameof(MemoryTests), DisableParallelization = true)]
public class MemoryTestsRunAlone
{
}

/// <summary>A long training loop must not grow native memory.</summary>
[Collection(nameof(MemoryTests))]
public class MemoryTests
{
    [Fact]
    public void Hundred_thousand_forward_backward_calls_do_not_grow_native_memory()
    {
        const int Calls = 100_000;
        // 64 x 16 float32: a leaked gradient would be 4 KiB a call, 400 MiB over the loop.
        using var z = torch.randn(64, 16).requires_grad_();
        using var k = torch.randint(0, 16, 64, dtype: ScalarType.Int64);
        var d = GroundDistance.Evenly(16);
        var w = XemdWeights.FromDistance(d, XemdPreset.Xemd1);

        void Step(int i)
        {
            using var scope = torch.NewDisposeScope();
            var loss = (i % 3) switch
            {
                0 => earthmover.nn.functional.squared_emd_loss(z, k),
                1 => earthmover.nn.functional.ground_emd_loss(z, k, d),
                _ => earthmover.nn.functional.xemd_loss(z, k, w),
            };
            loss.backward();
            z.grad!.zero_();
        }

        // The first calls grow the allocators' one-time state (a few MiB); the level after them is the baseline.
        long before = 0;
        for (int i = 0; i < Calls; i++)
        {
            Step(i);
            if (i == Calls / 5)
            {
                before = Settle();
            }
        }
        long after = Settle();
        long growth = after - before;
        Assert.True(growth < 8L << 20, $"native memory in use grew by {growth / 1024} KiB over the last {Calls * 4 / 5} of {Calls} calls");
    }

    // Native bytes in use once every unreachable tensor wrapper has been finalised.
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
