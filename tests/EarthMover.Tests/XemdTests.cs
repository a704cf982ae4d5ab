using EarthMover.Kernels;
using EarthMover.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Tests;

/// <summary>The XEMD weight builder and loss against the authors' construction computed with SciPy.</summary>
public class XemdTests
{
    public static TheoryData<int, string> Cases()
    {
        var data = new TheoryData<int, string>();
        for (int i = 0; i < ReferenceData.Xemd.Cases.Count; i++)
        {
            data.Add(i, "xemd1");
            data.Add(i, "xemd2");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Weights_equal_the_scipy_construction_ties_included(int index, string preset)
    {
        var c = ReferenceData.Xemd.Cases[index];
        var expected = c.Presets[preset];
        var distance = GroundDistance.FromMatrix(Tensors.Array2D(c.Distance));
        var weights = XemdWeights.FromDistance(distance, expected.Mu, expected.Power);
        for (int i = 0; i < c.Classes; i++)
        {
            for (int j = 0; j < c.Classes; j++)
            {
                Assert.Equal(expected.Weights[i][j], weights[i, j], 1e-12);
            }
        }
    }

    [Fact]
    public void Presets_are_those_of_the_authors_scripts()
    {
        Assert.Equal(new XemdPreset(0.5, 1), XemdPreset.Xemd1);
        Assert.Equal(new XemdPreset(0.25, 2), XemdPreset.Xemd2);
        var c = ReferenceData.Xemd.Cases[1];
        var distance = GroundDistance.FromMatrix(Tensors.Array2D(c.Distance));
        var viaPreset = XemdWeights.FromDistance(distance, XemdPreset.Xemd2);
        Assert.Equal(c.Presets["xemd2"].Weights[1][2], viaPreset[1, 2], 1e-12);
    }

    public static TheoryData<string, int, string> LossCases()
    {
        var data = new TheoryData<string, int, string>();
        foreach (var backend in new[] { nameof(LossBackend.Fused), nameof(LossBackend.TensorOps) })
        {
            for (int i = 0; i < ReferenceData.Xemd.Cases.Count; i++)
            {
                data.Add(backend, i, i % 2 == 0 ? "xemd1" : "xemd2");
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(LossCases))]
    public void Loss_equals_the_reference(string backend, int index, string preset)
    {
        var c = ReferenceData.Xemd.Cases[index];
        var expected = c.Presets[preset];
        var weights = XemdWeights.FromMatrix(Tensors.Array2D(expected.Weights));
        using var z = Tensors.Matrix(c.Logits);
        using var k = Tensors.Indices(c.Target_Indices);
        using var each = Xemd.Compute(z, k, weights, EmdInput.Logits, null, Reduction.None, Backends.Parse(backend));
        Assert.Equal(expected.Loss, Tensors.ToDoubles(each), new ToleranceComparer(1e-12));

        using var z32 = Tensors.Matrix(c.Logits, ScalarType.Float32);
        using var mean32 = Xemd.Compute(z32, k, weights, EmdInput.Logits, null, Reduction.Mean, Backends.Parse(backend));
        Assert.Equal(expected.Loss.Average(), mean32.ToDouble(), 1e-6);
    }

    [Fact]
    public void Module_uses_the_weights_it_holds_and_can_take_new_ones()
    {
        var c = ReferenceData.Xemd.Cases[0];
        using var z = Tensors.Matrix(c.Logits);
        using var k = Tensors.Indices(c.Target_Indices);
        var first = XemdWeights.FromMatrix(Tensors.Array2D(c.Presets["xemd1"].Weights));
        var second = XemdWeights.FromMatrix(Tensors.Array2D(c.Presets["xemd2"].Weights));
        using var module = earthmover.nn.XEMDLoss(first);
        using var a = module.call(z, k);
        module.xemd_weights = second;
        using var b = module.call(z, k);
        Assert.Equal(c.Presets["xemd1"].Loss.Average(), a.ToDouble(), 1e-12);
        Assert.Equal(c.Presets["xemd2"].Loss.Average(), b.ToDouble(), 1e-12);
    }
}
