using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EarthMover.Kernels;

/// <summary>
/// The paper's XEMD loss (docs/math.md §4) on a tile: L = s Σ_i (p_i - t_i)² W_{k,i} with t = e_k (s = 1/C or 1), so
/// dL/dp_i = 2s (p_i - t_i) W_{k,i} and, through softmax, dL/dz = p ⊙ (g - ⟨p, g⟩).
/// </summary>
/// <remarks>
/// With r = 2s W[k, :], the sums run over p alone and the one-hot target enters through class k only:
/// Σ r_i d_i² = Σ r_i p_i² − 2 r_k p_k + r_k, g_i = r_i p_i − r_k [i = k], ⟨p, g⟩ = Σ r_i p_i² − r_k p_k.
/// So the vector loops need no comparison per class, and lane by lane one entry is corrected afterwards.
/// </remarks>
internal readonly struct XemdKernel<T> : ITileBody<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _rows; // Row k holds 2 s W[k, :]; pinned, so that rows can be read by address.

    /// <param name="classes">C.</param>
    /// <param name="weights">W, row-major.</param>
    /// <param name="scale">The normalisation s (1/C in the authors' code).</param>
    public XemdKernel(int classes, ReadOnlySpan<double> weights, double scale)
    {
        Classes = classes;
        _rows = GC.AllocateUninitializedArray<T>(classes * classes, pinned: true);
        for (int i = 0; i < _rows.Length; i++)
        {
            _rows[i] = T.CreateChecked(2.0 * scale * weights[i]);
        }
    }

    public int Classes { get; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public TV Tile<TV>(Span<TV> values, TV inverse, Span<TV> scratch, ReadOnlySpan<int> targets, ReadOnlySpan<TV> soft, bool logits, TV gradScale, bool needGrad)
        where TV : unmanaged, ISimd<TV, T>
    {
        var r = scratch[..Classes];
        MatrixRows.Gather<T, TV>(_rows, Classes, targets, r);
        var squares = TV.Zero;
        for (int i = 0; i < r.Length; i++)
        {
            var e = values[i];
            squares += r[i] * e * e;
        }
        squares *= inverse * inverse; // Σ r_i p_i²

        // The target's entry, lane by lane: r_k and p_k.
        var flatValues = MemoryMarshal.Cast<TV, T>(values);
        var flatRows = MemoryMarshal.Cast<TV, T>(r);
        int lanes = TV.Count;
        Span<T> rk = stackalloc T[lanes];
        Span<T> pk = stackalloc T[lanes];
        for (int lane = 0; lane < lanes; lane++)
        {
            rk[lane] = flatRows[targets[lane] * lanes + lane];
            pk[lane] = flatValues[targets[lane] * lanes + lane] * inverse[lane];
        }
        var rTarget = TV.Create(rk);
        var pTarget = TV.Create(pk);
        var rp = rTarget * pTarget;
        var half = TV.Create(T.One / (T.One + T.One));
        var loss = (squares - rp - rp + rTarget) * half;

        if (needGrad)
        {
            if (logits)
            {
                // out_i = p_i (g_i − ⟨p, g⟩) scale, with p = e · inverse.
                var dot = squares - rp;
                var scale = gradScale * inverse;
                var a = scale * inverse;
                var b = dot * scale;
                for (int i = 0; i < r.Length; i++)
                {
                    var e = values[i];
                    values[i] = e * TV.MultiplyAdd(r[i] * e, a, -b);
                }
                var correction = pTarget * rTarget * gradScale;
                for (int lane = 0; lane < lanes; lane++)
                {
                    flatValues[targets[lane] * lanes + lane] -= correction[lane];
                }
            }
            else
            {
                var scale = gradScale * inverse;
                for (int i = 0; i < r.Length; i++)
                {
                    values[i] = r[i] * values[i] * scale;
                }
                var correction = rTarget * gradScale;
                for (int lane = 0; lane < lanes; lane++)
                {
                    flatValues[targets[lane] * lanes + lane] -= correction[lane];
                }
            }
        }
        return loss;
    }
}
