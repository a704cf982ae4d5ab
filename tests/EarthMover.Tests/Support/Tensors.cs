using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Tests.Support;

/// <summary>Small conversions between arrays and tensors for the tests.</summary>
internal static class Tensors
{
    public static Tensor Matrix(double[][] rows, ScalarType dtype = ScalarType.Float64, bool requiresGrad = false)
    {
        int n = rows.Length, c = rows[0].Length;
        var flat = rows.SelectMany(r => r).ToArray();
        var t = torch.tensor(flat, n, c, dtype: ScalarType.Float64).to(dtype);
        return requiresGrad ? t.requires_grad_() : t;
    }

    public static Tensor Indices(long[] values) => torch.tensor(values, dtype: ScalarType.Int64);

    public static double[] ToDoubles(Tensor t) => t.numel() == 0 ? [] : t.detach().to(ScalarType.Float64).contiguous().data<double>().ToArray();

    public static double[,] Array2D(double[][] rows)
    {
        var result = new double[rows.Length, rows[0].Length];
        for (int i = 0; i < rows.Length; i++)
        {
            for (int j = 0; j < rows[i].Length; j++)
            {
                result[i, j] = rows[i][j];
            }
        }
        return result;
    }

    public static double[] Softmax(double[] z)
    {
        double max = z.Max();
        var e = z.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }
}
