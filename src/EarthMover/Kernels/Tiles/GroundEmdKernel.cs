using System.Runtime.CompilerServices;
using System.Numerics;

namespace EarthMover.Kernels;

/// <summary>
/// The exact EMD to one-hot targets under a ground distance D (docs/math.md §3) on a tile:
/// L = Σ_i p_i D_ik, so dL/dp = D[:, k] and, through softmax, dL/dz = p ⊙ (D[:, k] - L).
/// </summary>
internal readonly struct GroundEmdKernel<T> : ITileBody<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _columns; // Row k holds D[:, k]; pinned, so that rows can be read by address.

    public GroundEmdKernel(int classes, ReadOnlySpan<double> distance)
    {
        Classes = classes;
        _columns = GC.AllocateUninitializedArray<T>(classes * classes, pinned: true);
        for (int i = 0; i < classes; i++)
        {
            for (int k = 0; k < classes; k++)
            {
                _columns[k * classes + i] = T.CreateChecked(distance[i * classes + k]);
            }
        }
    }

    public int Classes { get; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public TV Tile<TV>(Span<TV> values, TV inverse, Span<TV> scratch, ReadOnlySpan<int> targets, ReadOnlySpan<TV> soft, bool logits, TV gradScale, bool needGrad)
        where TV : unmanaged, ISimd<TV, T>
    {
        var columns = scratch[..Classes];
        MatrixRows.Gather<T, TV>(_columns, Classes, targets, columns);
        var sum = TV.Zero;
        for (int i = 0; i < columns.Length; i++)
        {
            sum += values[i] * columns[i];
        }
        var loss = sum * inverse;
        if (needGrad)
        {
            if (logits)
            {
                var scale = gradScale * inverse;
                var shift = loss * scale;
                for (int i = 0; i < columns.Length; i++)
                {
                    values[i] *= TV.MultiplyAdd(columns[i], scale, -shift);
                }
            }
            else
            {
                for (int i = 0; i < columns.Length; i++)
                {
                    values[i] = columns[i] * gradScale;
                }
            }
        }
        return loss;
    }
}
