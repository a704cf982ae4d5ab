using System.Runtime.InteropServices;

namespace EarthMover.Kernels;

/// <summary>
/// The Euclidean distances ‖c_i − c_j‖₂ between all pairs of class centroids, as the row-major C x C array that
/// <see cref="GroundDistance"/> holds, with an exact zero diagonal (docs/math.md §5, "Precision (here)").
/// </summary>
internal static class CentroidDistances
{
    // Up to this many classes the direct differences are cheap enough to take in float64 (exact ties stay exact).
    public const int DirectUpTo = 64;

    // Rows of the centred centroids multiplied at once: small enough that the blocks on and above the diagonal,
    // the only ones computed, are about (k + 1) / 2k of the full product for k blocks, large enough that each
    // product still runs at the speed of one big matrix product.
    private const int MinBlockRows = 64;
    private const int Blocks = 8;

    /// <summary>The C x C distances of the rows of <paramref name="centroids"/> (C x F, any device).</summary>
    public static double[] Of(Tensor centroids)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        int n = (int)centroids.size(0);
        double[] values;
        if (n <= DirectUpTo)
        {
            var direct = torch.cdist(centroids.unsqueeze(0), centroids.unsqueeze(0)).squeeze(0).to(ScalarType.Float64).cpu().contiguous();
            values = MemoryMarshal.Cast<byte, double>(direct.bytes).ToArray();
        }
        else
        {
            values = FromGram(centroids, n);
        }
        for (int i = 0; i < n; i++)
        {
            values[i * n + i] = 0; // exactly, whatever the formula rounds to
        }
        return values;
    }

    // D_ij² = ‖a_i‖² + ‖a_j‖² − 2 a_i · a_j for the centred centroids a (centring leaves D unchanged and keeps the
    // cancellation small), the products in float32 (they are the whole cost), the rest in float64. Each row block
    // is multiplied with the rows from its own start on; the lower triangle is the mirror of the upper.
    private static double[] FromGram(Tensor centroids, int n)
    {
        var centred = centroids.to(ScalarType.Float32, copy: true); // a copy even of float32 centroids: centred in place
        centred.sub_(centred.mean([0], keepdim: true));
        var values = new double[n * n];
        int block = Math.Max(MinBlockRows, (n + Blocks - 1) / Blocks);
        for (int start = 0; start < n; start += block)
        {
            int rows = Math.Min(block, n - start);
            int width = n - start;
            using var product = centred.narrow(0, start, rows).mm(centred.narrow(0, start, width).t()).cpu().contiguous();
            var gram = MemoryMarshal.Cast<byte, float>(product.bytes);
            for (int r = 0; r < rows; r++)
            {
                var from = gram.Slice(r * width + r, width - r);
                var to = values.AsSpan((start + r) * n + start + r, width - r);
                for (int j = 0; j < from.Length; j++)
                {
                    to[j] = from[j];
                }
            }
        }
        var squares = new double[n];
        for (int i = 0; i < n; i++)
        {
            squares[i] = values[i * n + i];
        }
        for (int i = 0; i < n; i++)
        {
            var row = values.AsSpan(i * n, n);
            for (int j = i + 1; j < n; j++)
            {
                row[j] = Math.Sqrt(Math.Max(0, squares[i] + squares[j] - 2 * row[j]));
            }
        }
        SymmetricPairs.Visit(values, n, new SymmetricPairs.Mirror());
        return values;
    }
}
