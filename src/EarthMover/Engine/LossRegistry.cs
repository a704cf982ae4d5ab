using EarthMover.Modules;

namespace EarthMover.Engine;

/// <summary>
/// Every loss of the library, with an example of its options for C classes, reached through its public function
/// and its module as a user reaches it. The tests of the promises every loss makes (bad input, edge cases, types,
/// devices, second derivatives) and the benchmarks iterate over this list, so a loss registered here is covered
/// without new test code (docs/adding-a-loss.md).
/// </summary>
internal static class LossRegistry
{
    /// <summary>All registered losses, in the order of docs/math.md.</summary>
    public static IReadOnlyList<RegisteredLoss> All { get; } =
    [
        new("squared_emd_loss", c => new SquaredEmdDefinition(null, null, null, null),
            c => (x, t, w, s, r, i) => earthmover.nn.functional.squared_emd_loss(x, t, input_type: i, weight: w, sample_weight: s, reduction: r),
            (c, i, w, r) => earthmover.nn.SquaredEMDLoss(input_type: i, weight: w, reduction: r)),
        new("ground_emd_loss", c => new GroundEmdDefinition(GroundDistance.Evenly(c, 2)),
            c => (x, t, w, s, r, i) => earthmover.nn.functional.ground_emd_loss(x, t, GroundDistance.Evenly(c, 2), i, w, s, r),
            (c, i, w, r) => earthmover.nn.GroundEMDLoss(GroundDistance.Evenly(c, 2), i, w, r)),
        new("xemd_loss", c => new XemdDefinition(Xemd(c), null),
            c => (x, t, w, s, r, i) => earthmover.nn.functional.xemd_loss(x, t, Xemd(c), null, i, w, s, r),
            (c, i, w, r) => earthmover.nn.XEMDLoss(Xemd(c), null, i, w, r)),
        new("emd_loss", c => new EmdDefinition(GroundDistance.Evenly(c)),
            c => (x, t, w, s, r, i) => earthmover.nn.functional.emd_loss(x, t, GroundDistance.Evenly(c), i, w, s, r),
            (c, i, w, r) => earthmover.nn.EMDLoss(GroundDistance.Evenly(c), i, w, r)),
        new("sinkhorn_loss", c => new SinkhornDefinition(GroundDistance.Evenly(c), 0.5, null, null, null),
            c => (x, t, w, s, r, i) => earthmover.nn.functional.sinkhorn_loss(x, t, GroundDistance.Evenly(c), 0.5, input_type: i, weight: w, sample_weight: s, reduction: r),
            (c, i, w, r) => earthmover.nn.SinkhornLoss(GroundDistance.Evenly(c), 0.5, input_type: i, weight: w, reduction: r)),
        new("tree_emd_loss", c => new TreeEmdDefinition(Tree(c)),
            c => (x, t, w, s, r, i) => earthmover.nn.functional.tree_emd_loss(x, t, Tree(c), i, w, s, r),
            (c, i, w, r) => earthmover.nn.TreeEMDLoss(Tree(c), i, w, r)),
        new("wasserstein_1d_loss", c => new Wasserstein1dDefinition(null, null, null),
            c => (x, t, w, s, r, i) => earthmover.nn.functional.wasserstein_1d_loss(x, t, input_type: i, weight: w, sample_weight: s, reduction: r),
            (c, i, w, r) => earthmover.nn.Wasserstein1dLoss(input_type: i, weight: w, reduction: r)),
        new("coral_loss", c => new CoralDefinition(Importance(c)),
            c => (x, t, w, s, r, i) => earthmover.nn.functional.coral_loss(x, t, Importance(c), i, w, s, r),
            (c, i, w, r) => With(earthmover.nn.CoralLoss(Importance(c), w, r), i)),
        new("corn_loss", c => new CornDefinition(),
            c => (x, t, w, s, r, i) => earthmover.nn.functional.corn_loss(x, t, i, w, s, r),
            (c, i, w, r) => With(earthmover.nn.CornLoss(w, r), i)),
        new("logistic_at_loss", c => new LogisticAtDefinition(),
            c => (x, t, w, s, r, i) => earthmover.nn.functional.logistic_at_loss(x, t, i, w, s, r),
            (c, i, w, r) => With(earthmover.nn.LogisticATLoss(w, r), i)),
        new("soft_label_ce_loss", c => new SoftLabelCeDefinition(Soft, 0.9, 0.05),
            c => (x, t, w, s, r, i) => earthmover.nn.functional.soft_label_ce_loss(x, t, Soft, 0.9, 0.05, i, w, s, r),
            (c, i, w, r) => earthmover.nn.SoftLabelCELoss(Soft, 0.9, 0.05, i, w, r)),
        new("cdw_ce_loss", c => new CdwCeDefinition(1.5),
            c => (x, t, w, s, r, i) => earthmover.nn.functional.cdw_ce_loss(x, t, 1.5, i, w, s, r),
            (c, i, w, r) => earthmover.nn.CDWCELoss(1.5, i, w, r)),
        new("slace_loss", c => new SlaceDefinition(1.0),
            c => (x, t, w, s, r, i) => earthmover.nn.functional.slace_loss(x, t, 1.0, i, w, s, r),
            (c, i, w, r) => earthmover.nn.SLACELoss(1.0, i, w, r)),
        new("ecoc_loss", c => new EcocDefinition(),
            c => (x, t, w, s, r, i) => earthmover.nn.functional.ecoc_loss(x, t, i, w, s, r),
            (c, i, w, r) => earthmover.nn.ECOCLoss(i, w, r)),
        new("qwk_loss", c => new QwkDefinition(KappaPenalty.Quadratic, false),
            c => (x, t, w, s, r, i) => earthmover.nn.functional.qwk_loss(x, t, KappaPenalty.Quadratic, false, i, w, s, r),
            (c, i, w, r) => earthmover.nn.QWKLoss(KappaPenalty.Quadratic, false, i, w, r)),
        new("mce_loss", c => new MceDefinition(),
            c => (x, t, w, s, r, i) => earthmover.nn.functional.mce_loss(x, t, i, w, s, r),
            (c, i, w, r) => earthmover.nn.MCELoss(i, w, r)),
        new("mce_qwk_loss", c => new MceQwkDefinition(0.3, KappaPenalty.Linear),
            c => (x, t, w, s, r, i) => earthmover.nn.functional.mce_qwk_loss(x, t, 0.3, KappaPenalty.Linear, i, w, s, r),
            (c, i, w, r) => earthmover.nn.MCEQWKLoss(0.3, KappaPenalty.Linear, i, w, r)),
    ];

    private static SoftLabelShape Soft => SoftShape;

    private static readonly SoftLabelShape SoftShape = SoftLabelShape.Sord(1.0);

    // Per-task weights of the CORAL example: K - 1 values, not all 1.
    private static double[] Importance(int classes) => [.. Enumerable.Range(0, classes - 1).Select(q => 0.5 + q % 3 * 0.5)];

    private static EarthMoverLoss With(EarthMoverLoss module, EmdInput inputType)
    {
        module.input_type = inputType;
        return module;
    }

    /// <summary>The registered loss of a name.</summary>
    /// <param name="name">The public function's name.</param>
    public static RegisteredLoss Get(string name) =>
        All.FirstOrDefault(l => l.Name == name) ?? throw new ArgumentException($"no loss is registered as {name}.", nameof(name));

    // A binary tree over the classes: the tree metric of the examples.
    private static ClassTree Tree(int classes) =>
        ClassTree.FromParents(classes, [.. Enumerable.Range(0, classes).Select(k => k == 0 ? -1 : (k - 1) / 2)], [.. Enumerable.Range(0, classes).Select(k => k == 0 ? 0 : 1.0 + k % 3)]);

    private static XemdWeights Xemd(int classes) => XemdWeights.FromDistance(GroundDistance.Evenly(classes), XemdPreset.Xemd2);
}

/// <summary>A loss call through the public function: input, target, weight, sample_weight, reduction, input_type.</summary>
internal delegate Tensor LossFunction(Tensor input, Tensor target, Tensor? weight, Tensor? sampleWeight, Reduction reduction, EmdInput inputType);

/// <summary>One registered loss.</summary>
/// <param name="Name">The public function's name.</param>
/// <param name="Definition">Its definition with the example options, for C classes (to reach the engine with a chosen backend).</param>
/// <param name="Function">Its public function with the example options, for C classes.</param>
/// <param name="Module">Its module with the example options: C, input_type, weight, reduction.</param>
internal sealed record RegisteredLoss(
    string Name,
    Func<int, LossDefinition> Definition,
    Func<int, LossFunction> Function,
    Func<int, EmdInput, Tensor?, Reduction, EarthMoverLoss> Module)
{
    /// <inheritdoc />
    public override string ToString() => Name;
}
