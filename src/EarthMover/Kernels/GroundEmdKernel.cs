using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EarthMover.Kernels;

/// <summary>
/// One row of the exact EMD to a one-hot target under a ground distance D (SPEC §2):
/// L = Σ_i p_i D_ik, so dL/dp = D[:, k] and, through softmax, dL/dz = p ⊙ (D[:, k] - L).
/// </summary>
internal sealed class GroundEmdKernel<T> : IRowKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _columns; // row k holds D[:, k], padded with zeros.

    public GroundEmdKernel(int classes, ReadOnlySpan<double> distance)
    {
        Classes = classes;
        Padded = Padding.Length(classes, Vector256<T>.Count);
        _columns = new T[classes * Padded];
        for (int i = 0; i < classes; i++)
        {
            for (int k = 0; k < classes; k++)
            {
                _columns[k * Padded + i] = T.CreateChecked(distance[i * classes + k]);
            }
        }
    }

    public int Classes { get; }

    public int Padded { get; }

    public bool NeedsSoftTargets => false;

    public T Row(Span<Vector256<T>> row, Span<Vector256<T>> scratch, long target, ReadOnlySpan<Vector256<T>> soft, bool logits, T gradScale, bool needGrad)
    {
        var column = MemoryMarshal.Cast<T, Vector256<T>>(_columns.AsSpan((int)target * Padded, Padded));
        var loss = Vector256<T>.Zero;
        for (int c = 0; c < row.Length; c++)
        {
            loss += row[c] * column[c];
        }
        T value = Vector256.Sum(loss);
        if (needGrad)
        {
            var scale = Vector256.Create(gradScale);
            var all = Vector256.Create(value);
            for (int c = 0; c < row.Length; c++)
            {
                row[c] = logits ? row[c] * (column[c] - all) * scale : column[c] * scale;
            }
        }
        return value;
    }
}
