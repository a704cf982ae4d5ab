using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EarthMover.Kernels;

/// <summary>
/// The exact EMD under a tree metric on a tile (docs/math.md, "Tree metrics"): with d_v the mass of p minus
/// the mass of t at or below node v, L = Σ_{v ≠ root} w_v |d_v|, and dL/dp_k = Σ over the edges on the path
/// from class k up to the root of w_v sign(d_v); through softmax, dL/dz = p ⊙ (g - ⟨p, g⟩). Subtree masses
/// are summed children first (the tree's post-order), the gradient is summed parents first (the reverse).
/// </summary>
internal sealed class TreeEmdKernel<T> : ITileKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic]
    private static Vector256<T>[]? _nodes;

    private readonly int _nodeCount;
    private readonly int _root;
    private readonly int[] _order;
    private readonly int[] _parentOf;
    private readonly T[] _length;

    public TreeEmdKernel(ClassTree tree)
    {
        Classes = tree.Classes;
        _nodeCount = tree.Nodes;
        _root = tree.Root;
        _order = tree.PostOrder;
        _parentOf = _order.Select(v => tree.Parents[v]).ToArray();
        _length = _order.Select(v => T.CreateChecked(tree.Lengths[v])).ToArray();
    }

    public int Classes { get; }

    public bool AcceptsSoftTargets => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Vector256<T> Tile(Span<Vector256<T>> values, Vector256<T> inverse, Span<Vector256<T>> scratch, ReadOnlySpan<int> targets, ReadOnlySpan<Vector256<T>> soft, bool logits, Vector256<T> gradScale, bool needGrad)
    {
        var nodes = _nodes;
        if (nodes is null || nodes.Length < _nodeCount)
        {
            nodes = new Vector256<T>[_nodeCount];
            _nodes = nodes;
        }
        int classes = Classes;
        bool hard = soft.IsEmpty;
        var lanesClass = hard ? TileLanes.Classes<T>(targets) : default;
        for (int k = 0; k < classes; k++)
        {
            var t = hard ? Vector256.Equals(lanesClass, Vector256.Create(T.CreateTruncating(k))) & Vector256<T>.One : soft[k];
            nodes[k] = values[k] * inverse - t;
        }
        nodes.AsSpan(classes, _nodeCount - classes).Clear();

        var loss = Vector256<T>.Zero;
        var order = _order;
        for (int e = 0; e < order.Length; e++)
        {
            var d = nodes[order[e]];
            nodes[_parentOf[e]] += d;
            loss += Vector256.Abs(d) * Vector256.Create(_length[e]);
        }
        if (!needGrad)
        {
            return loss;
        }

        // Parents before children: each node's value becomes the sum of w sign(d) over the edges above it.
        nodes[_root] = Vector256<T>.Zero;
        for (int e = order.Length - 1; e >= 0; e--)
        {
            int v = order[e];
            var d = nodes[v];
            var sign = (Vector256.GreaterThan(d, Vector256<T>.Zero) & Vector256<T>.One) - (Vector256.LessThan(d, Vector256<T>.Zero) & Vector256<T>.One);
            nodes[v] = nodes[_parentOf[e]] + sign * Vector256.Create(_length[e]);
        }
        if (logits)
        {
            var dot = Vector256<T>.Zero;
            for (int k = 0; k < classes; k++)
            {
                dot += values[k] * nodes[k];
            }
            dot *= inverse;
            var scale = gradScale * inverse;
            for (int k = 0; k < classes; k++)
            {
                values[k] = values[k] * scale * (nodes[k] - dot);
            }
        }
        else
        {
            for (int k = 0; k < classes; k++)
            {
                values[k] = nodes[k] * gradScale;
            }
        }
        return loss;
    }
}
