using EarthMover.Kernels;

namespace EarthMover;

/// <summary>
/// A ground distance between classes: a C x C matrix D with D_ii = 0 and D_ij ≥ 0, the cost of moving
/// probability mass from class i to class j. Checked once when made.
/// </summary>
public sealed class GroundDistance : SquareMatrix
{
    private GroundDistance(double[] values, int classes)
        : base(values, classes)
    {
    }

    /// <summary>A ground distance from a C x C matrix (any floating type or device).</summary>
    /// <param name="distance">The matrix: finite, ≥ 0, zero diagonal.</param>
    /// <exception cref="ArgumentException">The matrix is not square, has negative or non-finite entries, or a non-zero diagonal.</exception>
    public static GroundDistance FromMatrix(Tensor distance)
    {
        var (values, classes) = Read(distance, nameof(distance));
        return Create(values, classes, nameof(distance));
    }

    /// <summary>A ground distance from a C x C array.</summary>
    /// <param name="distance">The matrix: finite, ≥ 0, zero diagonal.</param>
    /// <exception cref="ArgumentException">The matrix is not square, has negative or non-finite entries, or a non-zero diagonal.</exception>
    public static GroundDistance FromMatrix(double[,] distance)
    {
        var (values, classes) = Read(distance, nameof(distance));
        return Create(values, classes, nameof(distance));
    }

    /// <summary>
    /// D_ij = |x_i - x_j|^p for classes at positions x on a line. With p = 1 the EMD is W1 on the line;
    /// with p = 2 it is W2² (the squared 2-Wasserstein distance).
    /// </summary>
    /// <param name="positions">The class positions, strictly increasing.</param>
    /// <param name="p">The power p ≥ 0 (default 1).</param>
    public static GroundDistance FromPositions(IReadOnlyList<double> positions, double p = 1.0)
    {
        ArgumentNullException.ThrowIfNull(positions);
        if (positions.Count < 2)
        {
            throw new ArgumentException($"{nameof(positions)} has {positions.Count} entries; there must be C >= 2 classes.", nameof(positions));
        }
        Check.Gaps(positions, positions.Count, nameof(positions));
        if (!(p >= 0) || double.IsInfinity(p))
        {
            throw new ArgumentException($"{nameof(p)} = {p}; the power p must be finite and >= 0.", nameof(p));
        }
        int classes = positions.Count;
        var values = new double[classes * classes];
        for (int i = 0; i < classes; i++)
        {
            for (int j = 0; j < classes; j++)
            {
                values[i * classes + j] = i == j ? 0 : Math.Pow(Math.Abs(positions[i] - positions[j]), p);
            }
        }
        return new GroundDistance(values, classes);
    }

    /// <summary>D_ij = |i - j|^p: classes evenly spaced on a line.</summary>
    /// <param name="classes">The number of classes C ≥ 2.</param>
    /// <param name="p">The power p ≥ 0 (default 1).</param>
    public static GroundDistance Evenly(int classes, double p = 1.0)
    {
        if (classes < 2)
        {
            throw new ArgumentException($"{nameof(classes)} = {classes}; there must be C >= 2 classes.", nameof(classes));
        }
        return FromPositions(Enumerable.Range(0, classes).Select(i => (double)i).ToArray(), p);
    }

    internal static GroundDistance Create(double[] values, int classes, string parameter)
    {
        CheckFinite(values, classes, parameter);
        for (int i = 0; i < classes; i++)
        {
            if (values[i * classes + i] != 0)
            {
                throw new ArgumentException($"{parameter}[{i}, {i}] = {values[i * classes + i]}; the diagonal of a ground distance must be 0.", parameter);
            }
            for (int j = 0; j < classes; j++)
            {
                if (values[i * classes + j] < 0)
                {
                    throw new ArgumentException($"{parameter}[{i}, {j}] = {values[i * classes + j]}; distances must be >= 0.", parameter);
                }
            }
        }
        return new GroundDistance(values, classes);
    }

    internal ITileKernel<T> Kernel<T>()
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        CachedKernel(() => new TileKernel<T, GroundEmdKernel<T>>(new(Classes, Values)));
}
