using TorchSharp;

namespace EarthMover.Tests;

public class SmokeTests
{
    [Fact]
    public void TorchSharp_loads_and_differentiates()
    {
        using var x = torch.tensor(new[] { 1.0, 2.0 }, requires_grad: true);
        using var y = (x * x).sum();
        y.backward();
        Assert.Equal([2.0, 4.0], x.grad!.data<double>().ToArray());
    }
}
