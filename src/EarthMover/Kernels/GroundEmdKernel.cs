using System.Numerics;
using System.Runtime.Intrinsics;

namespace EarthMover.Kernels;

/// <summary>
/// The exact EMD to one-hot targets under a ground distance D (SPEC §2) on a tile:
/// L = Σ_i p_i D_ik, so dL/dp = D[:, k] and, through softmax, dL/dz = p ⊙ (D[:, k] - L).
/// </summary>
internal sealed unsafe class GroundEmdKernel<T> : ITileKernel<T>
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

    public bool AcceptsSoftTargets => false;

    public Vector256<T> Tile(Span<Vector256<T>> probabilities, Span<Vector256<T>> scratch, ReadOnlySpan<int> targets, ReadOnlySpan<Vector256<T>> soft, bool logits, Vector256<T> gradScale, bool needGrad)
    {
        var columns = scratch[..Classes];
        MatrixRows.Gather(_columns, Classes, targets, columns);
        var loss = Vector256<T>.Zero;
        for (int i = 0; i < columns.Length; i++)
        {
            loss += probabilities[i] * columns[i];
        }
        if (needGrad)
        {
            for (int i = 0; i < columns.Length; i++)
            {
                probabilities[i] = logits ? probabilities[i] * (columns[i] - loss) * gradScale : columns[i] * gradScale;
            }
        }
        return loss;
    }
}
