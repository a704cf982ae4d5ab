using BenchmarkDotNet.Attributes;
using EarthMover.Kernels.Transport;
using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Benchmarks;

/// <summary>
/// <c>sinkhorn_loss</c> (quantity Cost, POT's <c>ot.sinkhorn2</c>) on the batches of benchmarks/pot_sinkhorn2.py, which
/// times POT on them: B = 256 rows, C classes, logits z[i, k] = 3 sin(12.9898 (i + 1) + 78.233 (k + 1)), targets
/// discretised Gaussians (σ = 1.5 classes) around 7i mod C, D = |i − j|, ε = 0.1 max D, at most 1000 iterations.
/// Forward only (as POT) in float64 at POT's stopThr 1e-9 (the baseline) and in float32 at 1e-6 (its default by
/// dtype) and at 1e-9 (the old float32 default, which float32 never reaches); forward plus backward; and the
/// twice-differentiable rows with a Hessian-vector product (create_graph).
/// </summary>
[MemoryDiagnoser]
public class SinkhornBenchmarks
{
    private Tensor _logits64 = null!;
    private Tensor _logits32 = null!;
    private Tensor _target64 = null!;
    private Tensor _target32 = null!;
    private GroundDistance _line = null!;
    private double _epsilon;

    [Params(256)]
    public int Batch { get; set; }

    [Params(10, 50, 100)]
    public int Classes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var z = new double[Batch * Classes];
        var t = new double[Batch * Classes];
        for (int i = 0; i < Batch; i++)
        {
            int centre = 7 * i % Classes;
            double sum = 0;
            for (int k = 0; k < Classes; k++)
            {
                z[i * Classes + k] = 3 * Math.Sin(12.9898 * (i + 1) + 78.233 * (k + 1));
                sum += t[i * Classes + k] = Math.Exp(-(k - centre) * (k - centre) / (2 * 1.5 * 1.5));
            }
            for (int k = 0; k < Classes; k++)
            {
                t[i * Classes + k] /= sum;
            }
        }
        _logits64 = torch.tensor(z, Batch, Classes, dtype: ScalarType.Float64).requires_grad_();
        _logits32 = _logits64.detach().to(ScalarType.Float32).requires_grad_();
        _target64 = torch.tensor(t, Batch, Classes, dtype: ScalarType.Float64);
        _target32 = _target64.to(ScalarType.Float32);
        _line = GroundDistance.Evenly(Classes);
        _epsilon = 0.1 * (Classes - 1);
        using (torch.no_grad())
        {
            using var mean = earthmover.nn.functional.sinkhorn_loss(_logits64, _target64, _line, _epsilon, SinkhornQuantity.Cost, 1000, 1e-9);
            Console.WriteLine($"// mean cost, B = {Batch}, C = {Classes}, float64: {mean.ToDouble():F12} (compare results/sinkhorn/sinkhorn-pot.md)");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _logits64.Dispose();
        _logits32.Dispose();
        _target64.Dispose();
        _target32.Dispose();
    }

    [Benchmark(Baseline = true, Description = "float64 forward, tol 1e-9")]
    public void Forward64() => Forward(_logits64, _target64, 1e-9);

    [Benchmark(Description = "float32 forward, tol 1e-6")]
    public void Forward32() => Forward(_logits32, _target32, 1e-6);

    [Benchmark(Description = "float32 forward, tol 1e-9")]
    public void Forward32Strict() => Forward(_logits32, _target32, 1e-9);

    [Benchmark(Description = "float64 forward+backward, tol 1e-9")]
    public void Backward64()
    {
        using var scope = torch.NewDisposeScope();
        earthmover.nn.functional.sinkhorn_loss(_logits64, _target64, _line, _epsilon, SinkhornQuantity.Cost, 1000, 1e-9).backward();
        _logits64.grad!.Dispose();
        _logits64.grad = null;
    }

    [Benchmark(Description = "float64 Hessian-vector product, tol 1e-9")]
    public void HessianVector64()
    {
        using var scope = torch.NewDisposeScope();
        var rows = Sinkhorn.Rows(_logits64, _target64, _line, _epsilon, SinkhornQuantity.Cost, 1000, 1e-9, logits: true, twiceDifferentiable: true);
        var gradient = torch.autograd.grad([rows.mean()], [_logits64], retain_graph: true, create_graph: true)[0];
        torch.autograd.grad([gradient.sum()], [_logits64]);
    }

    private void Forward(Tensor logits, Tensor target, double tol)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        earthmover.nn.functional.sinkhorn_loss(logits, target, _line, _epsilon, SinkhornQuantity.Cost, 1000, tol);
    }
}
