using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EarthMover.Kernels;

/// <summary>
/// One row of the paper's XEMD loss (SPEC §3): L = (1/C) Σ_i (p_i - t_i)² W_{k,i} with t = e_k, so
/// dL/dp_i = (2/C)(p_i - t_i) W_{k,i} and, through softmax, dL/dz = p ⊙ (g - ⟨p, g⟩).
/// </summary>
internal sealed class XemdKernel<T> : IRowKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _rows; // row k holds W[k, :], padded with zeros.
    private readonly T _scale;

    public XemdKernel(int classes, ReadOnlySpan<double> weights)
    {
        Classes = classes;
        Padded = Padding.Length(classes, Vector256<T>.Count);
        _rows = new T[classes * Padded];
        for (int k = 0; k < classes; k++)
        {
            for (int i = 0; i < classes; i++)
            {
                _rows[k * Padded + i] = T.CreateChecked(weights[k * classes + i]);
            }
        }
        _scale = T.One / T.CreateChecked(classes);
    }

    public int Classes { get; }

    public int Padded { get; }

    public bool NeedsSoftTargets => false;

    public T Row(Span<Vector256<T>> row, Span<Vector256<T>> scratch, long target, ReadOnlySpan<Vector256<T>> soft, bool logits, T gradScale, bool needGrad)
    {
        var weights = MemoryMarshal.Cast<T, Vector256<T>>(_rows.AsSpan((int)target * Padded, Padded));
        var step = Vector256.Create(T.CreateChecked(Vector256<T>.Count));
        var index = VectorMath.Indices<T>();
        var classIndex = Vector256.Create(T.CreateChecked(target));
        var twoS = Vector256.Create(_scale + _scale);
        var loss = Vector256<T>.Zero;
        var dot = Vector256<T>.Zero;
        for (int c = 0; c < row.Length; c++)
        {
            var t = Vector256.ConditionalSelect(Vector256.Equals(index, classIndex), Vector256<T>.One, Vector256<T>.Zero);
            index += step;
            var d = row[c] - t;
            var wd = weights[c] * d;
            loss += wd * d;
            var g = twoS * wd;
            scratch[c] = g;
            dot += g * row[c];
        }
        T value = _scale * Vector256.Sum(loss);
        if (needGrad)
        {
            var scale = Vector256.Create(gradScale);
            var dotAll = Vector256.Create(Vector256.Sum(dot));
            for (int c = 0; c < row.Length; c++)
            {
                row[c] = logits ? row[c] * (scratch[c] - dotAll) * scale : scratch[c] * scale;
            }
        }
        return value;
    }
}
