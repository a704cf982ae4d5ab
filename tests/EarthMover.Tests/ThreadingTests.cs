using EarthMover.Kernels;
using EarthMover.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Tests;

/// <summary>Large batches run on several workers; the result must not depend on which threads ran them.</summary>
[Collection(nameof(ThreadingTests))]
public class ThreadingTests
{
    [Fact]
    public void OpenMP_team_and_thread_pool_give_identical_results()
    {
        using var z = torch.randn(4096, 37, generator: torch.manual_seed(5)).requires_grad_();
        using var k = torch.randint(0, 37, 4096, dtype: ScalarType.Int64, generator: torch.manual_seed(6));
        var (teamLoss, teamGrad) = Run();
        TorchThreads.ForceThreadPool = true;
        try
        {
            var (poolLoss, poolGrad) = Run();
            Assert.Equal(teamLoss, poolLoss);
            Assert.Equal(teamGrad, poolGrad);
        }
        finally
        {
            TorchThreads.ForceThreadPool = false;
        }

        (double, double[]) Run()
        {
            z.grad?.zero_();
            using var loss = earthmover.nn.functional.squared_emd_loss(z, k);
            loss.backward();
            return (loss.ToDouble(), Tensors.ToDoubles(z.grad!));
        }
    }

    [Fact]
    public void Linux_builds_reach_libtorch_openmp_team()
    {
        Assert.Equal(OperatingSystem.IsLinux(), TorchThreads.UsesTorchTeam);
    }

    [Fact]
    public void An_error_in_a_later_row_is_reported_from_any_worker()
    {
        using var z = torch.randn(4096, 40);
        var target = torch.randint(0, 40, 4096, dtype: ScalarType.Int64);
        target[4000] = torch.tensor(40L);
        var e = Assert.Throws<ArgumentException>(() => earthmover.nn.functional.squared_emd_loss(z, target));
        Assert.Contains("target[4000] = 40", e.Message, StringComparison.Ordinal);
    }
}
