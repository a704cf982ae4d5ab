using System.Collections.Concurrent;
using System.Numerics;
using EarthMover.Kernels;

namespace EarthMover;

/// <summary>
/// A class hierarchy with edge lengths: a rooted tree whose first C nodes are the classes (in class order);
/// the other nodes are internal groupings. A class may itself be an internal node (a coarse class with finer
/// ones below it). The ground distance it defines between classes is the length of the tree path between
/// their nodes, and the exact EMD under that distance has a closed form (see <see cref="earthmover.nn.functional.tree_emd_loss(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, ClassTree, EmdInput?, TorchSharp.torch.Tensor?, TorchSharp.torch.Tensor?, TorchSharp.torch.nn.Reduction)"/>).
/// Checked once when made.
/// </summary>
public sealed class ClassTree
{
    private readonly int[] _parents;
    private readonly double[] _lengths;
    private readonly ConcurrentDictionary<(ScalarType, string), (Tensor Below, Tensor Lengths)> _tensors = new();
    private readonly ConcurrentDictionary<Type, object> _kernels = new();
    private GroundDistance? _distance;

    private ClassTree(int classes, int[] parents, double[] lengths, int root, int[] postOrder)
    {
        Classes = classes;
        _parents = parents;
        _lengths = lengths;
        Root = root;
        PostOrder = postOrder;
    }

    /// <summary>The number of classes C: nodes 0..C-1.</summary>
    public int Classes { get; }

    /// <summary>The number of nodes N ≥ C.</summary>
    public int Nodes => _parents.Length;

    /// <summary>The root node.</summary>
    public int Root { get; }

    /// <summary>Each node's parent (-1 for the root).</summary>
    public IReadOnlyList<int> Parents => _parents;

    /// <summary>Each node's edge length to its parent (0 for the root).</summary>
    public IReadOnlyList<double> Lengths => _lengths;

    /// <summary>The non-root nodes, every node after all of its descendants.</summary>
    internal int[] PostOrder { get; }

    /// <summary>
    /// A tree from parent pointers. Node v's parent is <paramref name="parents"/>[v] (-1 for the root) and
    /// <paramref name="lengths"/>[v] is the length of the edge between them; nodes 0..classes-1 are the classes.
    /// </summary>
    /// <param name="classes">The number of classes C ≥ 2.</param>
    /// <param name="parents">N ≥ C parent indices: exactly one -1 (the root), the others in [0, N), without cycles.</param>
    /// <param name="lengths">N edge lengths, finite and ≥ 0; the root's must be 0.</param>
    /// <exception cref="ArgumentException">The tree is malformed: sizes differ, no root or several, a parent out of range, a cycle, a negative or non-finite length.</exception>
    public static ClassTree FromParents(int classes, IReadOnlyList<int> parents, IReadOnlyList<double> lengths)
    {
        ArgumentNullException.ThrowIfNull(parents);
        ArgumentNullException.ThrowIfNull(lengths);
        if (classes < 2)
        {
            throw new ArgumentException($"{nameof(classes)} = {classes}; there must be C >= 2 classes.", nameof(classes));
        }
        int n = parents.Count;
        if (n < classes)
        {
            throw new ArgumentException($"{nameof(parents)} has {n} nodes but there are {classes} classes; nodes 0..C-1 are the classes.", nameof(parents));
        }
        if (lengths.Count != n)
        {
            throw new ArgumentException($"{nameof(lengths)} has {lengths.Count} entries but {nameof(parents)} has {n}; give one length per node.", nameof(lengths));
        }
        int root = -1;
        for (int v = 0; v < n; v++)
        {
            int parent = parents[v];
            if (parent == -1)
            {
                if (root >= 0)
                {
                    throw new ArgumentException($"{nameof(parents)} has several roots (nodes {root} and {v} have parent -1); a tree has one.", nameof(parents));
                }
                root = v;
            }
            else if (parent < 0 || parent >= n || parent == v)
            {
                throw new ArgumentException($"{nameof(parents)}[{v}] = {parent}; a parent must be another node in [0, {n}), or -1 for the root.", nameof(parents));
            }
            if (!double.IsFinite(lengths[v]) || lengths[v] < 0)
            {
                throw new ArgumentException($"{nameof(lengths)}[{v}] = {lengths[v]}; edge lengths must be finite and >= 0.", nameof(lengths));
            }
        }
        if (root < 0)
        {
            throw new ArgumentException($"{nameof(parents)} has no root (no node with parent -1), so it holds a cycle.", nameof(parents));
        }
        if (lengths[root] != 0)
        {
            throw new ArgumentException($"{nameof(lengths)}[{root}] = {lengths[root]} but node {root} is the root, which has no edge; give 0.", nameof(lengths));
        }
        var postOrder = PostOrderOf(parents, root, nameof(parents));
        return new ClassTree(classes, parents.ToArray(), lengths.ToArray(), root, postOrder);
    }

    /// <summary>
    /// The average-linkage (UPGMA) hierarchy of a symmetric distance, as SciPy's
    /// <c>linkage(squareform(D), method='average')</c>: repeatedly merge the two clusters with the smallest mean
    /// distance between their members. Classes are the leaves 0..C-1, merges the nodes C..2C-2 in the order
    /// made, the root last. A merge at distance h sits at height h/2 above the leaves, so the path between two
    /// classes has the length of the distance at which they were first merged (the cophenetic distance, an
    /// ultrametric that approximates D).
    /// </summary>
    /// <param name="distance">A symmetric ground distance.</param>
    /// <exception cref="ArgumentException">The distance is not symmetric.</exception>
    public static ClassTree FromDistance(GroundDistance distance)
    {
        ArgumentNullException.ThrowIfNull(distance);
        int c = distance.Classes;
        var d = (double[])distance.Values.Clone();
        double max = d.Max();
        for (int i = 0; i < c; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (Math.Abs(d[i * c + j] - d[j * c + i]) > 1e-12 * max)
                {
                    throw new ArgumentException($"{nameof(distance)}[{i}, {j}] = {d[i * c + j]} but {nameof(distance)}[{j}, {i}] = {d[j * c + i]}; average linkage needs a symmetric distance.", nameof(distance));
                }
            }
        }
        var (parents, heights) = AverageLinkage(c, d);
        var lengths = new double[parents.Length];
        for (int v = 0; v < parents.Length; v++)
        {
            if (parents[v] >= 0)
            {
                lengths[v] = Math.Max(0, (heights[parents[v]] - heights[v]) / 2);
            }
        }
        return FromParents(c, parents, lengths);
    }

    /// <summary>The tree's ground distance between classes: the length of the path between their nodes.</summary>
    public GroundDistance Distance() => _distance ??= ComputeDistance();

    /// <summary>For each class k and non-root node v (in <see cref="PostOrder"/>): 1 when k is v or below it. C x (N - 1), and the edge lengths (N - 1), per type and device.</summary>
    internal (Tensor Below, Tensor Lengths) CachedTensors(ScalarType dtype, Device device) =>
        _tensors.GetOrAdd((dtype, device.ToString()), _ =>
        {
            int edges = PostOrder.Length;
            var below = new double[Classes * edges];
            var position = new int[Nodes];
            Array.Fill(position, -1);
            for (int e = 0; e < edges; e++)
            {
                position[PostOrder[e]] = e;
            }
            for (int k = 0; k < Classes; k++)
            {
                for (int v = k; v != Root; v = _parents[v])
                {
                    below[k * edges + position[v]] = 1;
                }
            }
            var lengths = PostOrder.Select(v => _lengths[v]).ToArray();
            using var b = torch.tensor(below, Classes, edges, dtype: ScalarType.Float64);
            using var l = torch.tensor(lengths, dtype: ScalarType.Float64);
            var belowTensor = b.to(dtype, device);
            var lengthTensor = l.to(dtype, device);
            belowTensor.DetachFromDisposeScope();
            lengthTensor.DetachFromDisposeScope();
            return (belowTensor, lengthTensor);
        });

    /// <summary>The fused CPU kernel, made once per element type.</summary>
    internal ITileKernel<T> Kernel<T>()
        where T : unmanaged, IFloatingPointIeee754<T> =>
        (TileKernel<T, TreeEmdKernel<T>>)_kernels.GetOrAdd(typeof(T), _ => new TileKernel<T, TreeEmdKernel<T>>(new(this)));

    // Nodes with their subtrees first; a walk that never reaches the root means a cycle.
    private static int[] PostOrderOf(IReadOnlyList<int> parents, int root, string parameter)
    {
        int n = parents.Count;
        var state = new byte[n]; // 0 unseen, 1 on the current walk, 2 reaches the root
        state[root] = 2;
        var walk = new List<int>();
        for (int v = 0; v < n; v++)
        {
            walk.Clear();
            int x = v;
            while (state[x] == 0)
            {
                state[x] = 1;
                walk.Add(x);
                x = parents[x];
            }
            if (state[x] == 1)
            {
                throw new ArgumentException($"{parameter} holds a cycle through node {x}; every node must lead up to the root.", parameter);
            }
            foreach (var y in walk)
            {
                state[y] = 2;
            }
        }
        // Children lists, then an iterative depth-first walk from the root that emits a node after its children.
        var firstChild = new int[n];
        var nextSibling = new int[n];
        Array.Fill(firstChild, -1);
        for (int v = n - 1; v >= 0; v--)
        {
            if (v != root)
            {
                nextSibling[v] = firstChild[parents[v]];
                firstChild[parents[v]] = v;
            }
        }
        var order = new int[n - 1];
        int count = 0;
        var stack = new Stack<(int Node, bool Expanded)>();
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            var (node, expanded) = stack.Pop();
            if (expanded)
            {
                if (node != root)
                {
                    order[count++] = node;
                }
                continue;
            }
            stack.Push((node, true));
            for (int child = firstChild[node]; child >= 0; child = nextSibling[child])
            {
                stack.Push((child, false));
            }
        }
        return order;
    }

    // The nearest-neighbour chain algorithm (O(C²) time), exact for average linkage, which is reducible:
    // follow nearest neighbours until two clusters are each other's nearest, merge them, and update the
    // distances by the Lance-Williams formula d(k, a ∪ b) = (|a| d(k, a) + |b| d(k, b)) / (|a| + |b|).
    private static (int[] Parents, double[] Heights) AverageLinkage(int c, double[] d)
    {
        int nodes = 2 * c - 1;
        var parents = new int[nodes];
        var heights = new double[nodes];
        parents[nodes - 1] = -1;
        var size = new int[c];
        var node = new int[c];
        var active = new bool[c];
        for (int i = 0; i < c; i++)
        {
            size[i] = 1;
            node[i] = i;
            active[i] = true;
        }
        var chain = new List<int>();
        int next = c;
        for (int merges = 0; merges < c - 1; merges++)
        {
            if (chain.Count == 0)
            {
                chain.Add(Array.IndexOf(active, true));
            }
            while (true)
            {
                int a = chain[^1];
                int previous = chain.Count >= 2 ? chain[^2] : -1;
                // The nearest active cluster; on ties the previous link of the chain, else the lowest index.
                int b = previous;
                double best = previous >= 0 ? d[a * c + previous] : double.PositiveInfinity;
                for (int x = 0; x < c; x++)
                {
                    if (active[x] && x != a && d[a * c + x] < best)
                    {
                        best = d[a * c + x];
                        b = x;
                    }
                }
                if (b == previous)
                {
                    chain.RemoveRange(chain.Count - 2, 2);
                    int keep = Math.Min(a, b), drop = Math.Max(a, b);
                    parents[node[a]] = next;
                    parents[node[b]] = next;
                    heights[next] = best;
                    for (int x = 0; x < c; x++)
                    {
                        if (active[x] && x != a && x != b)
                        {
                            double merged = (size[a] * d[a * c + x] + size[b] * d[b * c + x]) / (size[a] + size[b]);
                            d[keep * c + x] = merged;
                            d[x * c + keep] = merged;
                        }
                    }
                    size[keep] = size[a] + size[b];
                    node[keep] = next;
                    active[drop] = false;
                    next++;
                    break;
                }
                chain.Add(b);
            }
        }
        return (parents, heights);
    }

    private GroundDistance ComputeDistance()
    {
        int c = Classes, n = Nodes;
        var values = new double[c * c];
        var up = new double[n];
        var mark = new int[n];
        Array.Fill(mark, -1);
        for (int i = 0; i < c; i++)
        {
            // Distances from class i up to each of its ancestors, then from each class j up to the first of them.
            double total = 0;
            for (int v = i; v >= 0; v = _parents[v])
            {
                mark[v] = i;
                up[v] = total;
                total += _lengths[v];
            }
            for (int j = 0; j < c; j++)
            {
                double climb = 0;
                int v = j;
                while (mark[v] != i)
                {
                    climb += _lengths[v];
                    v = _parents[v];
                }
                values[i * c + j] = i == j ? 0 : climb + up[v];
            }
        }
        return GroundDistance.Create(values, c, "tree");
    }
}
