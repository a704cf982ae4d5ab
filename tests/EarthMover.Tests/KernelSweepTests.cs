using EarthMover.Kernels;
using EarthMover.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Tests;

/// <summary>
/// Every row length from 2 to 70 classes, so that each vector remainder of the fused kernels runs: values
/// against the brute-force definition, gradients against autograd through the tensor-operation form.
/// </summary>
public class KernelSweepTests
{
    public static TheoryData<int> Lengths()
    {
        var data = new TheoryData<int>();
        for (int c = 2; c <= 70; c++)
        {
            data.Add(c);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Ordinal_kernel_matches_the_definition_and_the_autograd_gradient(int classes)
    {
        var random = new Random(classes);
        const int rows = 9;
        var logits = Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, classes).Select(_ => random.NextDouble() * 6 - 3).ToArray()).ToArray();
        var positions = new double[classes];
        for (int m = 1; m < classes; m++)
        {
            positions[m] = positions[m - 1] + 0.1 + random.NextDouble();
        }
        var indices = Enumerable.Range(0, rows).Select(_ => (long)random.Next(classes)).ToArray();
        var soft = Enumerable.Range(0, rows).Select(_ => Tensors.Softmax(Enumerable.Range(0, classes).Select(_ => random.NextDouble() * 4).ToArray())).ToArray();

        foreach (var (exponent, root, useSoft) in new[] { (2.0, false, false), (1.0, false, true), (1.5, true, false), (2.0, true, true) })
        {
            var expected = new double[rows];
            for (int i = 0; i < rows; i++)
            {
                var t = useSoft ? soft[i] : BruteForce.OneHot(indices[i], classes);
                expected[i] = BruteForce.Ordinal(Tensors.Softmax(logits[i]), t, positions, exponent, 1.0 / classes, root);
            }
            using var target = useSoft ? Tensors.Matrix(soft) : Tensors.Indices(indices);
            var fused = Run(LossBackend.Fused);
            var ops = Run(LossBackend.TensorOps);
            Assert.Equal(expected, fused.Values, new ToleranceComparer(1e-12));
            Assert.Equal(ops.Gradient, fused.Gradient, new ToleranceComparer(1e-12));

            (double[] Values, double[] Gradient) Run(LossBackend backend)
            {
                using var z = Tensors.Matrix(logits, requiresGrad: true);
                using var loss = SquaredEmd.Compute(z, target, exponent, root, positions, EmdNormalization.Paper, EmdInput.Logits, null, Reduction.None, backend);
                loss.sum().backward();
                return (Tensors.ToDoubles(loss), Tensors.ToDoubles(z.grad!));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Matrix_kernels_match_the_tensor_operation_form(int classes)
    {
        var generator = torch.manual_seed(classes);
        using var logits = torch.randn(6, classes, dtype: ScalarType.Float64, generator: generator) * 3;
        using var k = torch.randint(0, classes, 6, dtype: ScalarType.Int64, generator: generator);
        using var raw = torch.rand(classes, classes, dtype: ScalarType.Float64, generator: generator) * (1 - torch.eye(classes, dtype: ScalarType.Float64));
        var distance = GroundDistance.FromMatrix(raw);
        var weights = XemdWeights.FromDistance(distance, XemdPreset.Xemd2);
        foreach (var dtype in new[] { ScalarType.Float64, ScalarType.Float32 })
        {
            double tolerance = dtype == ScalarType.Float64 ? 1e-12 : 1e-5;
            Compare((z, backend) => GroundEmd.Compute(z, k, distance, EmdInput.Logits, null, Reduction.None, backend));
            Compare((z, backend) => Xemd.Compute(z, k, weights, EmdInput.Logits, null, Reduction.None, backend));

            void Compare(Func<Tensor, LossBackend, Tensor> loss)
            {
                var (fusedValues, fusedGrad) = Evaluate(loss, LossBackend.Fused);
                var (opsValues, opsGrad) = Evaluate(loss, LossBackend.TensorOps);
                Assert.Equal(opsValues, fusedValues, new ToleranceComparer(tolerance));
                Assert.Equal(opsGrad, fusedGrad, new ToleranceComparer(tolerance));
            }

            (double[], double[]) Evaluate(Func<Tensor, LossBackend, Tensor> loss, LossBackend backend)
            {
                using var z = logits.to(dtype).clone().requires_grad_();
                using var value = loss(z, backend);
                value.sum().backward();
                return (Tensors.ToDoubles(value), Tensors.ToDoubles(z.grad!));
            }
        }
    }

    /// <summary>
    /// Every vector width in this process, whichever the processor prefers (CI also runs the tests with
    /// DOTNET_EnableAVX=0 and DOTNET_EnableHWIntrinsic=0): a batch of 11 rows leaves a partial tile at each width.
    /// </summary>
    [Theory]
    [MemberData(nameof(Lengths))]
    public void Every_vector_width_matches_the_tensor_operation_form(int classes)
    {
        var generator = torch.manual_seed(1000 + classes);
        const int rows = 11;
        using var logits = torch.randn(rows, classes, dtype: ScalarType.Float64, generator: generator) * 3;
        using var k = torch.randint(0, classes, rows, dtype: ScalarType.Int64, generator: generator);
        using var soft = torch.rand(rows, classes, dtype: ScalarType.Float64, generator: generator).softmax(1);
        using var raw = torch.rand(classes, classes, dtype: ScalarType.Float64, generator: generator) * (1 - torch.eye(classes, dtype: ScalarType.Float64));
        var distance = GroundDistance.FromMatrix(raw);
        var weights = XemdWeights.FromDistance(distance, XemdPreset.Xemd2);
        var gaps = Enumerable.Range(0, classes - 1).Select(m => 0.5 + (m % 3)).ToArray();
        foreach (var width in Enum.GetValues<KernelWidth>())
        {
            Compare(ScalarType.Float64, 1e-12);
            Compare(ScalarType.Float32, 1e-5);

            void Compare(ScalarType dtype, double tolerance)
            {
                Check(k, l => TensorOpsLosses.OrdinalRows(l, k, gaps, 2, 1.0 / classes, false, true), () => new TileKernel<float, OrdinalEmdKernel<float>>(new(classes, gaps, 2, 1.0 / classes, false)), () => new TileKernel<double, OrdinalEmdKernel<double>>(new(classes, gaps, 2, 1.0 / classes, false)));
                Check(soft, l => TensorOpsLosses.OrdinalRows(l, soft, gaps, 1, 1, false, true), () => new TileKernel<float, OrdinalEmdKernel<float>>(new(classes, gaps, 1, 1, false)), () => new TileKernel<double, OrdinalEmdKernel<double>>(new(classes, gaps, 1, 1, false)));
                Check(k, l => TensorOpsLosses.OrdinalRows(l, k, gaps, 1.5, 1, true, true), () => new TileKernel<float, OrdinalEmdKernel<float>>(new(classes, gaps, 1.5, 1, true)), () => new TileKernel<double, OrdinalEmdKernel<double>>(new(classes, gaps, 1.5, 1, true)));
                Check(k, l => TensorOpsLosses.GroundRows(l, k, distance, true), distance.Kernel<float>, distance.Kernel<double>);
                Check(k, l => TensorOpsLosses.XemdRows(l, k, weights, 1.0 / classes, true), () => weights.Kernel<float>(), () => weights.Kernel<double>());

                void Check(Tensor target, Func<Tensor, Tensor> reference, Func<ITileKernel<float>> floatKernel, Func<ITileKernel<double>> doubleKernel)
                {
                    using var z = logits.to(dtype).requires_grad_();
                    using var expected = reference(z);
                    using var expectedGrad = torch.autograd.grad([expected.sum()], [z])[0];
                    var fused = dtype == ScalarType.Float32
                        ? LossDispatch.Fused(width, floatKernel(), target, null, Reduction.None, logits: true, FusedOptions.Default)
                        : LossDispatch.Fused(width, doubleKernel(), target, null, Reduction.None, logits: true, FusedOptions.Default);
                    var (values, grad) = fused.Run(z.detach(), needGrad: true);
                    using (values)
                    using (grad)
                    {
                        // Relative to the largest value: float32 losses reach tens here (s = 1, wide gaps).
                        var want = Tensors.ToDoubles(expected);
                        var wantGrad = Tensors.ToDoubles(expectedGrad);
                        Assert.Equal(want, Tensors.ToDoubles(values), new ToleranceComparer(tolerance * Math.Max(1, want.Max(Math.Abs))));
                        Assert.Equal(wantGrad, Tensors.ToDoubles(grad!), new ToleranceComparer(tolerance * Math.Max(1, wantGrad.Max(Math.Abs))));
                    }
                }
            }
        }
    }
}
