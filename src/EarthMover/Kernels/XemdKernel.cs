using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace EarthMover.Kernels;

/// <summary>
/// The paper's XEMD loss (SPEC §3) on a tile: L = (1/C) Σ_i (p_i - t_i)² W_{k,i} with t = e_k, so
/// dL/dp_i = (2/C)(p_i - t_i) W_{k,i} and, through softmax, dL/dz = p ⊙ (g - ⟨p, g⟩).
/// </summary>
internal sealed class XemdKernel<T> : ITileKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _rows; // Row k holds (2/C) W[k, :]; pinned, so that rows can be read by address.
    private readonly T _half;

    public XemdKernel(int classes, ReadOnlySpan<double> weights)
    {
        Classes = classes;
        _rows = GC.AllocateUninitializedArray<T>(classes * classes, pinned: true);
        for (int i = 0; i < _rows.Length; i++)
        {
            _rows[i] = T.CreateChecked(2.0 / classes * weights[i]);
        }
        _half = T.One / (T.One + T.One);
    }

    public int Classes { get; }

    public bool AcceptsSoftTargets => false;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Vector256<T> Tile(Span<Vector256<T>> values, Vector256<T> inverse, Span<Vector256<T>> scratch, ReadOnlySpan<int> targets, ReadOnlySpan<Vector256<T>> soft, bool logits, Vector256<T> gradScale, bool needGrad)
    {
        var g = scratch[..Classes];
        MatrixRows.Gather(_rows, Classes, targets, g);
        var classIndex = TileLanes.Classes<T>(targets);
        var m = Vector256<T>.Zero;
        var sum = Vector256<T>.Zero;
        var dot = Vector256<T>.Zero;
        for (int i = 0; i < g.Length; i++)
        {
            var t = Vector256.Equals(m, classIndex) & Vector256<T>.One;
            m += Vector256<T>.One;
            var d = VectorMath.MultiplyAdd(values[i], inverse, -t);
            var gi = g[i] * d; // (2/C) W d
            sum += gi * d;
            g[i] = gi;
            dot += gi * values[i];
        }
        if (needGrad)
        {
            if (logits)
            {
                var scale = gradScale * inverse;
                var shift = dot * inverse * scale;
                for (int i = 0; i < g.Length; i++)
                {
                    values[i] *= VectorMath.MultiplyAdd(g[i], scale, -shift);
                }
            }
            else
            {
                for (int i = 0; i < g.Length; i++)
                {
                    values[i] = g[i] * gradScale;
                }
            }
        }
        return sum * Vector256.Create(_half);
    }
}
