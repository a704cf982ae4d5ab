using EarthMover.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Tests;

/// <summary>The closed-form EMD under a tree metric against POT's network simplex, and the fitted hierarchy against SciPy.</summary>
public class TreeEmdLossTests
{
    public static TheoryData<string, int> ReferenceCases() => Backends.WithCases(TransportReference.Tree.Trees.Count);

    public static TheoryData<int> LinkageCases()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < TransportReference.Tree.Linkages.Count; i++)
        {
            data.Add(i);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void Equals_pot_emd2_with_path_lengths(string backend, int index)
    {
        var c = TransportReference.Tree.Trees[index];
        var tree = ClassTree.FromParents(c.Classes, c.Parents, c.Lengths);
        Assert.Equal(c.Distance.SelectMany(r => r), tree.Distance().ToArray().Cast<double>(), new ToleranceComparer(1e-12));

        using var z = Tensors.Matrix(c.Logits);
        using var t = Tensors.Matrix(c.T);
        using var k = Tensors.Indices(c.Target_Indices);
        using var soft = TreeEmd.Compute(z, t, tree, EmdInput.Logits, null, Reduction.None, Backends.Parse(backend));
        using var hard = TreeEmd.Compute(z, k, tree, EmdInput.Logits, null, Reduction.None, Backends.Parse(backend));
        Assert.Equal(c.Emd_Soft, Tensors.ToDoubles(soft), new ToleranceComparer(1e-10));
        Assert.Equal(c.Emd_Indices, Tensors.ToDoubles(hard), new ToleranceComparer(1e-10));

        using var z32 = Tensors.Matrix(c.Logits, ScalarType.Float32);
        using var t32 = Tensors.Matrix(c.T, ScalarType.Float32);
        using var mean32 = TreeEmd.Compute(z32, t32, tree, EmdInput.Logits, null, Reduction.Mean, Backends.Parse(backend));
        Assert.Equal(c.Emd_Soft.Average(), mean32.ToDouble(), 1e-5);
    }

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void Equals_the_general_solver_with_the_tree_s_distance(string backend, int index)
    {
        var c = TransportReference.Tree.Trees[index];
        var tree = ClassTree.FromParents(c.Classes, c.Parents, c.Lengths);
        using var z = Tensors.Matrix(c.Logits, requiresGrad: true);
        using var t = Tensors.Matrix(c.T);
        using var closed = TreeEmd.Compute(z, t, tree, EmdInput.Logits, null, Reduction.None, Backends.Parse(backend));
        using var solved = earthmover.nn.functional.emd_loss(z, t, tree.Distance(), reduction: Reduction.None);
        Assert.Equal(Tensors.ToDoubles(solved), Tensors.ToDoubles(closed), new ToleranceComparer(1e-10));
    }

    [Theory]
    [MemberData(nameof(Backends.All), MemberType = typeof(Backends))]
    public void Gradient_matches_finite_differences(string backend)
    {
        var c = TransportReference.Tree.Trees[4];
        var tree = ClassTree.FromParents(c.Classes, c.Parents, c.Lengths);
        using var z = Tensors.Matrix(c.Logits);
        using var t = Tensors.Matrix(c.T);
        using var w = torch.tensor(new[] { 0.5, 2, 0, 1.5, 1 }, dtype: ScalarType.Float64);
        FiniteDifferences.AssertGradient(x => TreeEmd.Compute(x, t, tree, EmdInput.Logits, null, Reduction.Mean, Backends.Parse(backend)), z);
        FiniteDifferences.AssertGradient(x => TreeEmd.Compute(x, t, tree, EmdInput.Logits, w, Reduction.None, Backends.Parse(backend)), z);
        using var p = z.softmax(1);
        FiniteDifferences.AssertGradient(x => TreeEmd.Compute(x, t, tree, EmdInput.Probabilities, w, Reduction.Sum, Backends.Parse(backend)), p);
    }

    [Fact]
    public void Fused_and_tensor_forms_agree_on_value_and_gradient_at_ties()
    {
        // p = t on some rows and subtrees with equal masses: the gradient is the subgradient with sign(0) = 0 in both.
        var tree = ClassTree.FromParents(4, [4, 4, 5, 5, 6, 6, -1], [1, 1, 2, 0.5, 1, 3, 0]);
        using var p = torch.tensor(new[] { 0.25, 0.25, 0.25, 0.25, 0.5, 0, 0.5, 0 }, 2, 4, dtype: ScalarType.Float64);
        using var t = torch.tensor(new[] { 0.25, 0.25, 0.25, 0.25, 0, 0.5, 0, 0.5 }, 2, 4, dtype: ScalarType.Float64);
        var results = new List<(double[] Value, double[] Grad)>();
        foreach (var backend in new[] { Kernels.LossBackend.Fused, Kernels.LossBackend.TensorOps })
        {
            using var x = p.clone().requires_grad_();
            using var loss = TreeEmd.Compute(x, t, tree, EmdInput.Probabilities, null, Reduction.None, backend);
            loss.sum().backward();
            results.Add((Tensors.ToDoubles(loss), Tensors.ToDoubles(x.grad!)));
        }
        Assert.Equal(new[] { 0.0, 2.25 }, results[0].Value, new ToleranceComparer(1e-15));
        Assert.Equal(results[0].Value, results[1].Value, new ToleranceComparer(1e-15));
        Assert.Equal(results[0].Grad, results[1].Grad, new ToleranceComparer(1e-15));
    }

    [Theory]
    [MemberData(nameof(LinkageCases))]
    public void Average_linkage_matches_scipy(int index)
    {
        var c = TransportReference.Tree.Linkages[index];
        var tree = ClassTree.FromDistance(GroundDistance.FromMatrix(Tensors.Array2D(c.Distance)));
        Assert.Equal(2 * c.Classes - 1, tree.Nodes);
        Assert.Equal(c.Cophenetic.SelectMany(r => r), tree.Distance().ToArray().Cast<double>(), new ToleranceComparer(1e-12));
        // A merge node's height is twice its distance above the leaves.
        var heights = new List<double>();
        for (int v = c.Classes; v < tree.Nodes; v++)
        {
            int leaf = v;
            double above = 0;
            while (leaf >= c.Classes)
            {
                leaf = Enumerable.Range(0, tree.Nodes).First(x => tree.Parents[x] == leaf);
                above += tree.Lengths[leaf];
            }
            heights.Add(2 * above);
        }
        heights.Sort();
        Assert.Equal(c.Merge_Heights, heights, new ToleranceComparer(1e-12));
    }

    [Fact]
    public void A_learned_distance_gives_a_tree()
    {
        var learner = new GroundDistanceLearner(classes: 4, features: 2, normalization: FeatureNormalization.None);
        using var features = torch.tensor(new[] { 0.0, 0, 0.1, 0, 5, 5, 5, 5.2 }, 4, 2);
        using var labels = torch.tensor(new long[] { 0, 1, 2, 3 });
        learner.Accumulate(features, labels);
        learner.EndEpoch();
        var tree = learner.Tree;
        Assert.Same(tree, learner.Tree);
        // Classes 0 and 1 merge first (0.1 apart), then 2 and 3 (0.2), then the two pairs.
        var d = tree.Distance();
        Assert.Equal(0.1, d[0, 1], 12);
        Assert.Equal(0.2, d[2, 3], 12);
        Assert.True(d[0, 2] > 6);
        learner.Accumulate(features, labels);
        learner.EndEpoch();
        Assert.NotSame(tree, learner.Tree);
    }

    [Fact]
    public void Module_and_factory_equal_the_function()
    {
        var c = TransportReference.Tree.Trees[5];
        var tree = ClassTree.FromParents(c.Classes, c.Parents, c.Lengths);
        using var z = Tensors.Matrix(c.Logits);
        using var t = Tensors.Matrix(c.T);
        using var module = earthmover.nn.TreeEMDLoss(tree, reduction: Reduction.Sum);
        using var a = module.call(z, t);
        using var b = earthmover.nn.functional.tree_emd_loss(z, t, tree, reduction: Reduction.Sum);
        Assert.Equal(c.Emd_Soft.Sum(), a.ToDouble(), 1e-10);
        Assert.Equal(a.ToDouble(), b.ToDouble());
    }

    [Fact]
    public void Malformed_trees_are_refused_naming_the_parameter()
    {
        static void Throws(string parameter, string fragment, Action action)
        {
            var e = Assert.ThrowsAny<ArgumentException>(action);
            Assert.Equal(parameter, e.ParamName);
            Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
        }

        Throws("parents", "several roots", () => ClassTree.FromParents(2, [-1, -1], [0, 0]));
        Throws("parents", "no root", () => ClassTree.FromParents(2, [1, 0], [1, 1]));
        Throws("parents", "cycle", () => ClassTree.FromParents(3, [-1, 2, 1], [0, 1, 1]));
        Throws("parents", "[0, 3)", () => ClassTree.FromParents(3, [-1, 5, 0], [0, 1, 1]));
        Throws("parents", "another node", () => ClassTree.FromParents(3, [-1, 1, 0], [0, 1, 1]));
        Throws("parents", "2 nodes", () => ClassTree.FromParents(3, [-1, 0], [0, 1]));
        Throws("lengths", "one length per node", () => ClassTree.FromParents(2, [-1, 0], [0]));
        Throws("lengths", ">= 0", () => ClassTree.FromParents(2, [-1, 0], [0, -1]));
        Throws("lengths", ">= 0", () => ClassTree.FromParents(2, [-1, 0], [0, double.NaN]));
        Throws("lengths", "root", () => ClassTree.FromParents(2, [-1, 0], [1, 1]));
        Throws("classes", "C >= 2", () => ClassTree.FromParents(1, [-1], [0]));
        Throws("distance", "symmetric", () => ClassTree.FromDistance(GroundDistance.FromMatrix(new double[,] { { 0, 1, 2 }, { 3, 0, 1 }, { 2, 1, 0 } })));
        var tree = ClassTree.FromParents(3, [-1, 0, 0], [0, 1, 1]);
        using var z = torch.randn(2, 4);
        Throws("tree", "3 classes", () => earthmover.nn.functional.tree_emd_loss(z, torch.tensor(new long[] { 0, 1 }), tree));
    }
}
