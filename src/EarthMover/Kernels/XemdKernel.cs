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
    private readonly T[] _rows; // Row k holds W[k, :]; pinned, so that rows can be read by address.
    private readonly T _scale;

    public XemdKernel(int classes, ReadOnlySpan<double> weights)
    {
        Classes = classes;
        _rows = GC.AllocateUninitializedArray<T>(classes * classes, pinned: true);
        for (int i = 0; i < _rows.Length; i++)
        {
            _rows[i] = T.CreateChecked(weights[i]);
        }
        _scale = T.One / T.CreateChecked(classes);
    }

    public int Classes { get; }

    public bool AcceptsSoftTargets => false;

    public Vector256<T> Tile(Span<Vector256<T>> probabilities, Span<Vector256<T>> scratch, ReadOnlySpan<int> targets, ReadOnlySpan<Vector256<T>> soft, bool logits, Vector256<T> gradScale, bool needGrad)
    {
        var g = scratch[..Classes];
        MatrixRows.Gather(_rows, Classes, targets, g);
        var classIndex = TileLanes.Classes<T>(targets);
        var twoS = Vector256.Create(_scale + _scale);
        var m = Vector256<T>.Zero;
        var loss = Vector256<T>.Zero;
        var dot = Vector256<T>.Zero;
        for (int i = 0; i < g.Length; i++)
        {
            var t = Vector256.ConditionalSelect(Vector256.Equals(m, classIndex), Vector256<T>.One, Vector256<T>.Zero);
            m += Vector256<T>.One;
            var d = probabilities[i] - t;
            var wd = g[i] * d;
            loss += wd * d;
            var gi = twoS * wd;
            g[i] = gi;
            dot += gi * probabilities[i];
        }
        if (needGrad)
        {
            for (int i = 0; i < g.Length; i++)
            {
                probabilities[i] = logits ? probabilities[i] * (g[i] - dot) * gradScale : g[i] * gradScale;
            }
        }
        return loss * Vector256.Create(_scale);
    }
}
