namespace EarthMover.Kernels.Transport;

/// <summary>
/// An order of the classes along a line, and whether D is a Monge matrix in it. For classes on a line with a
/// cost that grows convexly with the distance, D_ij = h(|x_i - x_j|) (|x_i - x_j|^w, w ≥ 1), the order is that of
/// the positions, and then D is a Monge matrix (D_ij + D_kl ≤ D_il + D_kj for i &lt; k, j &lt; l), for which the
/// north-west corner rule gives an optimal plan for any masses (Hoffman 1963), and so on every sub-problem
/// that keeps the order.
/// </summary>
internal static class LineOrder
{
    /// <summary>
    /// The classes by their distance from an end: the class with the largest distance to any other (lowest
    /// index on ties), which for classes on a line is the first or the last. D is symmetrised first.
    /// </summary>
    public static int[] Of(int classes, double[] distance)
    {
        int c = classes;
        int end = 0;
        double farthest = -1;
        for (int i = 0; i < c; i++)
        {
            for (int j = 0; j < c; j++)
            {
                double d = distance[i * c + j] + distance[j * c + i];
                if (d > farthest)
                {
                    farthest = d;
                    end = i;
                }
            }
        }
        var key = new double[c];
        for (int k = 0; k < c; k++)
        {
            key[k] = distance[end * c + k] + distance[k * c + end];
        }
        var order = Enumerable.Range(0, c).ToArray();
        Array.Sort(order, (p, q) => key[p] != key[q] ? key[p].CompareTo(key[q]) : p.CompareTo(q));
        return order;
    }

    /// <summary>Whether D, rows and columns taken in <paramref name="order"/>, is a Monge matrix (adjacent 2 x 2 minors suffice).</summary>
    public static bool IsMonge(int classes, double[] distance, int[] order, double tolerance)
    {
        int c = classes;
        for (int a = 0; a + 1 < c; a++)
        {
            int i = order[a] * c, k = order[a + 1] * c;
            for (int b = 0; b + 1 < c; b++)
            {
                int j = order[b], l = order[b + 1];
                if (distance[i + j] + distance[k + l] > distance[i + l] + distance[k + j] + tolerance)
                {
                    return false;
                }
            }
        }
        return true;
    }
}
