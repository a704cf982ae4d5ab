using System.Numerics;

namespace EarthMover.Kernels;

/// <summary>Loads, for each lane of a tile, the row of a C x C matrix that the lane's class index selects.</summary>
internal static unsafe class MatrixRows
{
    /// <param name="matrix">A pinned row-major C x C array.</param>
    /// <param name="classes">C.</param>
    /// <param name="targets">Each lane's row index.</param>
    /// <param name="tile">C vectors: tile[i][r] = matrix[targets[r], i].</param>
    public static void Gather<T, TV>(T[] matrix, int classes, ReadOnlySpan<int> targets, Span<TV> tile)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged, ISimd<TV, T>
    {
        var rows = stackalloc nint[TV.Count];
        fixed (T* start = matrix)
        {
            for (int r = 0; r < TV.Count; r++)
            {
                rows[r] = (nint)(start + (long)targets[r] * classes);
            }
            TileTranspose<T, TV>.In((T**)rows, classes, tile);
        }
    }
}
