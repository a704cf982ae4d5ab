using static EarthMover.earthmover.nn.functional;

namespace EarthMover.Training.Methods;

/// <summary>
/// The table of every loss the program trains with (--loss, compare's --losses, suite files): name, parameters
/// with their checks, head, one line and the paper. <c>earthmover losses</c> prints it; a loss missing here cannot
/// be named on the command line.
/// </summary>
internal static class LossMethods
{
    // η of every soft-label shape: the target is η M[y] + (1 − η) e_y (dlordinal's eta; 1 = the shape alone).
    // Declared before All, which reads it as the table is built.
    private static readonly LossParameter Eta = LossParameter.Number("eta", "the weight of the shape against the one-hot target", 1, "in [0, 1]", e => e >= 0 && e <= 1);

    private static readonly LossParameter Alpha = LossParameter.Number("alpha", "the exponent of the class distance", 0.5, "> 0", a => a > 0);

    /// <summary>Every loss, in the order of the table.</summary>
    public static readonly IReadOnlyList<LossMethod> All =
    [
        new("ce", "cross-entropy", LossHead.Logits, "Cross-entropy on C logits; with --soft-labels, against label distributions.", "-") { Options = "--soft-labels" },
        new("emd2", "optimal transport", LossHead.Logits, "Squared EMD on ordered classes through the CDFs (exponent l; root for NIMA's EMD).", "Hou, Yu and Samaras, arXiv 1611.05916 (2017)") { Options = "--exponent, --root, --positions, --soft-labels" },
        new("gd-emd", "optimal transport", LossHead.Logits, "Exact EMD of class labels under the ground distance |xi - xj|^power.", "Hou, Yu and Samaras, arXiv 1611.05916 (2017)") { Options = "--positions, --power" },
        new("xemd1", "optimal transport", LossHead.Logits, "The paper's XEMD (preset 1) with cross-entropy, D learned from the features or a prior.", "Hou, Yu and Samaras, arXiv 1611.05916 (2017)") { Options = "--distance, --learner, --warmup, --alpha, --beta" },
        new("xemd2", "optimal transport", LossHead.Logits, "The paper's XEMD (preset 2) with cross-entropy, D learned from the features or a prior.", "Hou, Yu and Samaras, arXiv 1611.05916 (2017)") { Options = "--distance, --learner, --warmup, --alpha, --beta" },
        new("emd", "optimal transport", LossHead.Logits, "Exact EMD (network simplex per row) under any ground distance, for target distributions.", "Hou, Yu and Samaras, arXiv 1611.05916 (2017)") { Options = "--distance, --positions, --power, --soft-labels" },
        new("sinkhorn", "optimal transport", LossHead.Logits, "Entropic optimal transport (Sinkhorn) under any ground distance, for target distributions.", "Cuturi, NeurIPS 2013") { Options = "--epsilon, --distance, --soft-labels" },
        new("tree", "optimal transport", LossHead.Logits, "Tree EMD (closed form) on a chain or a tree fitted to a learned D.", "Le et al., NeurIPS 2019") { Options = "--distance, --learner, --soft-labels" },
        new("regression", "baseline", LossHead.Regression, "Mean squared error on the class index, rounded to a class.", "-"),
        new("coral", "threshold", LossHead.Coral, "CORAL: C-1 binary tasks y > q on one shared weight and C-1 biases (rank consistent).", "Cao, Mirjalili and Raschka, Pattern Recognition Letters 140 (2020)")
        {
            Loss = (z, y, _, _) => coral_loss(z, y),
        },
        new("corn", "threshold", LossHead.Corn, "CORN: K-1 conditional tasks y > q given y > q-1 on C-1 outputs.", "Shi, Cao and Raschka, Pattern Analysis and Applications 26 (2023)")
        {
            Loss = (z, y, _, _) => corn_loss(z, y),
        },
        new("logistic-at", "threshold", LossHead.LogisticAt, "Logistic all-threshold: margins f - θ_q on one score and C-1 thresholds.", "Rennie and Srebro, IJCAI 2005 workshop")
        {
            Loss = (z, y, _, _) => logistic_at_loss(z, y),
        },
        new("ecoc", "ordinal code", LossHead.Ecoc, "Ordinal ECOC: squared distance of C-1 sigmoid bits from the target's code word.", "Barbero-Gómez, Gutiérrez and Hervás-Martínez, Neural Processing Letters 55 (2023)")
        {
            Loss = (z, y, _, _) => ecoc_loss(z, y),
        },
        SoftLabel("sord", "SORD: softmax of -alpha times the class distance (absolute or squared).", "Díaz and Marathe, CVPR 2019",
            [LossParameter.Number("alpha", "the scale of the distance", 1, "> 0", a => a > 0), LossParameter.Word("distance", "the class distance", "absolute", "absolute", "squared")],
            s => SoftLabelShape.Sord(s.Number("alpha"), s.Word("distance") == "squared" ? SordDistance.Squared : SordDistance.Absolute)),
        SoftLabel("gaussian", "DLDL: a discretised Gaussian of width sigma (class steps) around the class.", "Gao et al., IEEE TIP 26 (2017)",
            [LossParameter.Number("sigma", "the width in class steps", 1, "> 0", s => s > 0)],
            s => SoftLabelShape.Gaussian(s.Number("sigma"))),
        SoftLabel("binomial", "Binomial(C-1, p_y) targets, p_y from 0.1 to 0.9.", "Liu et al., Neurocomputing 388 (2020)", [], _ => SoftLabelShape.Binomial()),
        SoftLabel("poisson", "Softmax of the Poisson(y+1) probabilities.", "Liu et al., Neurocomputing 388 (2020)", [], _ => SoftLabelShape.Poisson()),
        SoftLabel("exponential", "Softmax of -|k-y|^p / tau.", "Vargas et al., Applied Soft Computing 138 (2023)",
            [LossParameter.Number("p", "the power of the distance", 1, "> 0", p => p > 0), LossParameter.Number("tau", "the temperature", 1, "> 0", t => t > 0)],
            s => SoftLabelShape.Exponential(s.Number("p"), s.Number("tau"))),
        SoftLabel("beta", "Beta distributions on C intervals of [0, 1] (the paper's set, 3 to 14 classes).", "Vargas, Gutiérrez and Hervás-Martínez, Pattern Recognition 122 (2022)", [], _ => SoftLabelShape.Beta()),
        SoftLabel("triangular", "Triangular distributions on C intervals of [0, 1], alpha2 outside the class.", "Vargas et al., Information Fusion 93 (2023)",
            [LossParameter.Number("alpha2", "the mass outside the class", 0.05, "in (0, 0.25)", a => a > 0 && a < 0.25)],
            s => SoftLabelShape.Triangular(s.Number("alpha2"))),
        SoftLabel("geometric", "The class keeps 1 - alpha; alpha spreads geometrically to the others.", "Haas and Hüllermeier, ECML PKDD 2023",
            [LossParameter.Number("alpha", "the mass moved off the class", 0.1, "in (0, 1)", a => a > 0 && a < 1)],
            s => SoftLabelShape.Geometric(s.Number("alpha"))),
        new("cdw-ce", "cost-sensitive", LossHead.Logits, "Class-distance weighted CE: -Σ_j |j-y|^alpha log(1 - p_j).", "Polat et al., MIUA 2022")
        {
            Parameters = [Alpha],
            Loss = (z, y, s, _) => cdw_ce_loss(z, y, s.Number("alpha")),
        },
        new("slace", "cost-sensitive", LossHead.Logits, "SLACE: soft labels accumulating CE, monotone and balance-sensitive (SORD targets of scale alpha).", "SLACE, AAAI 39 (2025)")
        {
            Parameters = [LossParameter.Number("alpha", "the scale of the SORD targets (dlordinal has no default)", 1, "> 0", a => a > 0)],
            Loss = (z, y, s, _) => slace_loss(z, y, s.Number("alpha")),
        },
        new("qwk", "agreement", LossHead.Logits, "Quadratic (or linear) weighted kappa of the batch's soft predictions, 1 - κ.", "de la Torre, Puig and Valls, Pattern Recognition Letters 105 (2018)")
        {
            Parameters = [LossParameter.Word("penalty", "the kappa weights", "quadratic", "quadratic", "linear")],
            Loss = (z, y, s, _) => qwk_loss(z, y, Penalty(s)),
        },
        new("mce", "agreement", LossHead.Logits, "Mean squared error of each class's predicted probabilities (dlordinal's MCELoss).", "dlordinal 2.7 (MCELoss)")
        {
            Loss = (z, y, _, _) => mce_loss(z, y),
        },
        new("mce-qwk", "agreement", LossHead.Logits, "(1 - c) MCE + c QWK.", "dlordinal 2.7 (MCEAndWKLoss)")
        {
            Parameters = [LossParameter.Number("c", "the weight of QWK", 0.5, "in [0, 1]", c => c >= 0 && c <= 1), LossParameter.Word("penalty", "the kappa weights", "quadratic", "quadratic", "linear")],
            Loss = (z, y, s, _) => mce_qwk_loss(z, y, s.Number("c"), Penalty(s)),
        },
    ];

    /// <summary>Every loss name, in the order of the table.</summary>
    public static IReadOnlyList<string> Names => All.Select(m => m.Name).ToArray();

    /// <summary>The loss of this name, or null.</summary>
    public static LossMethod? Find(string name) => All.FirstOrDefault(m => m.Name == name);

    private static KappaPenalty Penalty(LossSpec spec) => spec.Word("penalty") == "linear" ? KappaPenalty.Linear : KappaPenalty.Quadratic;

    // A member of the soft-label family: soft_label_ce_loss with its shape (the targets of --soft-labels for the others).
    private static LossMethod SoftLabel(string name, string summary, string paper, LossParameter[] parameters, Func<LossSpec, SoftLabelShape> shape) =>
        new(name, "soft labels", LossHead.Logits, summary, paper)
        {
            Parameters = [.. parameters, Eta],
            Shape = shape,
            Loss = (z, y, spec, shape) => soft_label_ce_loss(z, y, shape!, eta: spec.Number(Eta.Name)),
        };
}
