using EarthMover.Kernels;
using EarthMover.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Tests;

/// <summary>
/// Second derivatives through the fused form (create_graph: true): Hessian-vector products with respect to
/// the logits and to the weights of a layer before the loss, against those of the tensor-operation form,
/// which autograd differentiates twice.
/// </summary>
public class SecondDerivativeTests
{
    public static TheoryData<string, string> Losses()
    {
        var data = new TheoryData<string, string>();
        foreach (var loss in new[] { "emd2", "emd2-soft-root", "emd1-weighted", "gd-emd", "xemd", "emd2-per-sample" })
        {
            foreach (var dtype in new[] { "float64", "float32" })
            {
                data.Add(loss, dtype);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void Hessian_vector_products_match_the_tensor_operation_form(string loss, string dtype)
    {
        var type = dtype == "float64" ? ScalarType.Float64 : ScalarType.Float32;
        double tolerance = type == ScalarType.Float64 ? 1e-10 : 1e-4;
        const int rows = 13, features = 6, classes = 9;
        var generator = torch.manual_seed(11);
        using var x = torch.randn(rows, features, dtype: type, generator: generator);
        using var w = (torch.randn(features, classes, dtype: type, generator: generator) * 0.7).requires_grad_();
        using var v = torch.randn(features, classes, dtype: type, generator: generator);
        using var k = torch.randint(0, classes, rows, dtype: ScalarType.Int64, generator: generator);
        using var soft = torch.rand(rows, classes, dtype: type, generator: generator).softmax(1);
        using var sampleWeight = torch.rand(rows, dtype: type, generator: generator);
        using var raw = torch.rand(classes, classes, dtype: ScalarType.Float64, generator: generator) * (1 - torch.eye(classes, dtype: ScalarType.Float64));
        var distance = GroundDistance.FromMatrix(raw);
        var weights = XemdWeights.FromDistance(distance, XemdPreset.Xemd1);

        var (fusedGrad, fusedHv) = HessianVector(LossBackend.Fused);
        var (opsGrad, opsHv) = HessianVector(LossBackend.TensorOps);
        Assert.Equal(opsGrad, fusedGrad, new ToleranceComparer(tolerance));
        Assert.Equal(opsHv, fusedHv, new ToleranceComparer(tolerance));
        Assert.Contains(opsHv, h => Math.Abs(h) > 1e-3); // a second derivative that is not trivially zero

        // g = dL/dW with a graph, then H v = d(g · v)/dW.
        (double[] Grad, double[] HessianVector) HessianVector(LossBackend backend)
        {
            using var scope = torch.NewDisposeScope();
            var logits = x.matmul(w);
            var value = Loss(logits, backend);
            var g = torch.autograd.grad([value], [w], retain_graph: true, create_graph: true)[0];
            var hv = torch.autograd.grad([(g * v).sum()], [w])[0];
            return (Tensors.ToDoubles(g), Tensors.ToDoubles(hv));
        }

        Tensor Loss(Tensor logits, LossBackend backend) => loss switch
        {
            "emd2" => SquaredEmd.Compute(logits, k, 2, false, null, EmdNormalization.Paper, EmdInput.Logits, null, Reduction.Mean, backend),
            "emd2-soft-root" => SquaredEmd.Compute(logits, soft, 2, true, null, EmdNormalization.Paper, EmdInput.Logits, null, Reduction.Sum, backend),
            "emd1-weighted" => SquaredEmd.Compute(logits, k, 1, false, null, EmdNormalization.None, EmdInput.Logits, sampleWeight, Reduction.Mean, backend),
            "gd-emd" => GroundEmd.Compute(logits, k, distance, EmdInput.Logits, null, Reduction.Mean, backend),
            "xemd" => Xemd.Compute(logits, k, weights, EmdInput.Logits, null, Reduction.Mean, backend),
            _ => SquaredEmd.Compute(logits, k, 2, false, null, EmdNormalization.Paper, EmdInput.Logits, null, Reduction.None, backend).square().sum(),
        };
    }

    [Fact]
    public void A_first_derivative_with_a_graph_of_a_transposed_input_matches()
    {
        // A non-contiguous input goes to the kernel as a contiguous copy; the second derivative still reaches it.
        var generator = torch.manual_seed(3);
        using var zt = torch.randn(7, 5, dtype: ScalarType.Float64, generator: generator).requires_grad_();
        using var k = torch.randint(0, 7, 5, dtype: ScalarType.Int64, generator: generator);
        using var v = torch.randn(7, 5, dtype: ScalarType.Float64, generator: generator);
        Assert.Equal(Run(LossBackend.TensorOps), Run(LossBackend.Fused), new ToleranceComparer(1e-12));

        double[] Run(LossBackend backend)
        {
            using var scope = torch.NewDisposeScope();
            var value = SquaredEmd.Compute(zt.t(), k, 2, false, null, EmdNormalization.Paper, EmdInput.Logits, null, Reduction.Mean, backend);
            var g = torch.autograd.grad([value], [zt], retain_graph: true, create_graph: true)[0];
            return Tensors.ToDoubles(torch.autograd.grad([(g * v).sum()], [zt])[0]);
        }
    }
}
