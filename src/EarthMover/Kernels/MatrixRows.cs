using System.Numerics;
using System.Runtime.Intrinsics;

namespace EarthMover.Kernels;

/// <summary>Loads, for each lane of a tile, the row of a C x C matrix that the lane's class index selects.</summary>
internal static unsafe class MatrixRows
{
    /// <param name="matrix">A pinned row-major C x C array.</param>
    /// <param name="classes">C.</param>
    /// <param name="targets">Each lane's row index.</param>
    /// <param name="tile">C vectors: tile[i][r] = matrix[targets[r], i].</param>
    public static void Gather<T>(T[] matrix, int classes, ReadOnlySpan<int> targets, Span<Vector256<T>> tile)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rows = stackalloc nint[Vector256<T>.Count];
        fixed (T* start = matrix)
        {
            for (int r = 0; r < Vector256<T>.Count; r++)
            {
                rows[r] = (nint)(start + (long)targets[r] * classes);
            }
            TileTranspose.In((T**)rows, classes, tile);
        }
    }
}
