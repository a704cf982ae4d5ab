namespace EarthMover.Modules;

/// <summary>The exact EMD under a tree metric, as a module: see <see cref="earthmover.nn.functional.tree_emd_loss(Tensor, Tensor, ClassTree, EmdInput?, Tensor?, Tensor?, Reduction)"/>.</summary>
public sealed class TreeEMDLoss : EarthMoverLoss
{
    private ClassTree _tree;

    internal TreeEMDLoss(ClassTree tree, EmdInput? inputType, Tensor? weight, Reduction reduction)
        : base(inputType, weight, reduction)
    {
        _tree = tree ?? throw new ArgumentNullException(nameof(tree));
    }

    /// <summary>The class hierarchy; replace it (each epoch, with a learned one) by assigning a new one.</summary>
    public ClassTree tree { get => _tree; set => _tree = value ?? throw new ArgumentNullException(nameof(tree)); }

    /// <inheritdoc />
    public override Tensor forward(Tensor input, Tensor target, Tensor? sample_weight) =>
        earthmover.nn.functional.tree_emd_loss(input, target, tree, input_type, weight, sample_weight, reduction);
}
