using System.Numerics;
using System.Runtime.CompilerServices;

namespace EarthMover.Kernels;

/// <summary>
/// The exact EMD under a tree metric on a tile (docs/math.md §12): with d_v the mass of p minus
/// the mass of t at or below node v, L = Σ_{v ≠ root} w_v |d_v|, and dL/dp_k = Σ over the edges on the path
/// from class k up to the root of w_v sign(d_v); through softmax, dL/dz = p ⊙ (g - ⟨p, g⟩). Subtree masses
/// are summed children first (the tree's post-order), the gradient is summed parents first (the reverse).
/// </summary>
internal readonly struct TreeEmdKernel<T> : ITileBody<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
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

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public TV Tile<TV>(Span<TV> values, TV inverse, Span<TV> scratch, ReadOnlySpan<int> targets, ReadOnlySpan<TV> soft, bool logits, TV gradScale, bool needGrad)
        where TV : unmanaged, ISimd<TV, T>
    {
        var nodes = NodeBuffer<TV>.Nodes;
        if (nodes is null || nodes.Length < _nodeCount)
        {
            nodes = new TV[_nodeCount];
            NodeBuffer<TV>.Nodes = nodes;
        }
        int classes = Classes;
        bool hard = soft.IsEmpty;
        var lanesClass = hard ? TileLanes.Classes<T, TV>(targets) : default;
        for (int k = 0; k < classes; k++)
        {
            var t = hard ? TV.Equal(lanesClass, TV.Create(T.CreateTruncating(k))) & TV.One : soft[k];
            nodes[k] = values[k] * inverse - t;
        }
        nodes.AsSpan(classes, _nodeCount - classes).Clear();

        var loss = TV.Zero;
        var order = _order;
        for (int e = 0; e < order.Length; e++)
        {
            var d = nodes[order[e]];
            nodes[_parentOf[e]] += d;
            loss += TV.MaxNative(d, -d) * TV.Create(_length[e]);
        }
        if (!needGrad)
        {
            return loss;
        }

        // Parents before children: each node's value becomes the sum of w sign(d) over the edges above it.
        nodes[_root] = TV.Zero;
        for (int e = order.Length - 1; e >= 0; e--)
        {
            int v = order[e];
            var d = nodes[v];
            var sign = (TV.GreaterThan(d, TV.Zero) & TV.One) - (TV.LessThan(d, TV.Zero) & TV.One);
            nodes[v] = nodes[_parentOf[e]] + sign * TV.Create(_length[e]);
        }
        if (logits)
        {
            var dot = TV.Zero;
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

    /// <summary>Each thread's node values at one vector width.</summary>
    private static class NodeBuffer<TV>
    {
        [ThreadStatic]
        public static TV[]? Nodes;
    }
}
