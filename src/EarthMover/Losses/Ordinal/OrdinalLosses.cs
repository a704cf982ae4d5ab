// The public forms of the ordinal losses (docs/math.md §15-§24): the factories in earthmover.nn and the functions
// in earthmover.nn.functional, each calling the engine with its loss's definition (Losses/Ordinal/*Loss.cs).
namespace EarthMover;

public static partial class earthmover
{
    public static partial class nn
    {
        /// <summary>CORAL's loss as a module; see <see cref="functional.coral_loss"/>.</summary>
        /// <param name="importance_weights">Optional per-task weights λ_q (K - 1 values, finite, ≥ 0).</param>
        /// <include file="../LossParameters.xml" path="losses/ordinal/factory/param[@name!='input_type']"/>
        public static Modules.CoralLoss CoralLoss(IReadOnlyList<double>? importance_weights = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
            new(importance_weights, weight, reduction);

        /// <summary>CORN's loss as a module; see <see cref="functional.corn_loss"/>.</summary>
        /// <param name="weight">Optional per-class weights (K), finite and ≥ 0 (docs/math.md §17).</param>
        /// <param name="reduction">Mean (over (sample, task) pairs), Sum or None.</param>
        public static Modules.CornLoss CornLoss(Tensor? weight = null, Reduction reduction = Reduction.Mean) => new(weight, reduction);

        /// <summary>The logistic all-threshold loss as a module; see <see cref="functional.logistic_at_loss"/>.</summary>
        /// <param name="weight">Optional per-class weights (K), finite and ≥ 0 (docs/math.md §18).</param>
        /// <param name="reduction">Mean (weighted mean over samples), Sum or None.</param>
        public static Modules.LogisticATLoss LogisticATLoss(Tensor? weight = null, Reduction reduction = Reduction.Mean) => new(weight, reduction);

        /// <summary>The soft-label cross-entropy as a module; see <see cref="functional.soft_label_ce_loss"/>.</summary>
        /// <param name="shape">The target shape (<see cref="SoftLabelShape"/>).</param>
        /// <param name="eta">η in [0, 1]: the weight of the shape against the one-hot target (default 1).</param>
        /// <param name="label_smoothing">ε in [0, 1]: mixes in the uniform distribution (default 0).</param>
        /// <include file="../LossParameters.xml" path="losses/ordinal/factory/param"/>
        public static Modules.SoftLabelCELoss SoftLabelCELoss(SoftLabelShape shape, double? eta = null, double? label_smoothing = null, EmdInput? input_type = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
            new(shape, eta, label_smoothing, input_type, weight, reduction);

        /// <summary>CDW-CE as a module; see <see cref="functional.cdw_ce_loss"/>.</summary>
        /// <param name="alpha">α &gt; 0 (default 0.5, dlordinal's).</param>
        /// <include file="../LossParameters.xml" path="losses/ordinal/factory/param"/>
        public static Modules.CDWCELoss CDWCELoss(double? alpha = null, EmdInput? input_type = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
            new(alpha, input_type, weight, reduction);

        /// <summary>SLACE as a module; see <see cref="functional.slace_loss"/>.</summary>
        /// <param name="alpha">α &gt; 0 of the SORD targets (no default, as dlordinal).</param>
        /// <include file="../LossParameters.xml" path="losses/ordinal/factory/param"/>
        public static Modules.SLACELoss SLACELoss(double alpha, EmdInput? input_type = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
            new(alpha, input_type, weight, reduction);

        /// <summary>The ordinal ECOC distance loss as a module; see <see cref="functional.ecoc_loss"/>.</summary>
        /// <param name="input_type">Logits (default; σ is applied) or probabilities (the K - 1 sigmoid outputs, dlordinal's input).</param>
        /// <include file="../LossParameters.xml" path="losses/ordinal/factory/param[@name!='input_type']"/>
        public static Modules.ECOCLoss ECOCLoss(EmdInput? input_type = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
            new(input_type, weight, reduction);

        /// <summary>The weighted-kappa loss as a module; see <see cref="functional.qwk_loss"/>.</summary>
        /// <param name="penalization_type">Quadratic (default) or linear penalties.</param>
        /// <param name="use_logarithm">Return log(L + ε) (de la Torre et al.'s original form).</param>
        /// <include file="../LossParameters.xml" path="losses/ordinal/factory/param[@name='input_type']"/>
        /// <param name="weight">Optional per-class weights (K), multiplying the penalty column of the true class.</param>
        /// <param name="reduction">Mean or Sum (both the batch value); None is refused.</param>
        public static Modules.QWKLoss QWKLoss(KappaPenalty? penalization_type = null, bool? use_logarithm = null, EmdInput? input_type = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
            new(penalization_type, use_logarithm, input_type, weight, reduction);

        /// <summary>MCE as a module; see <see cref="functional.mce_loss"/>.</summary>
        /// <include file="../LossParameters.xml" path="losses/ordinal/factory/param[@name='input_type']"/>
        /// <param name="weight">Optional per-class weights (K), multiplying prediction column c.</param>
        /// <param name="reduction">Mean (over classes), Sum, or None (the K per-class values).</param>
        public static Modules.MCELoss MCELoss(EmdInput? input_type = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
            new(input_type, weight, reduction);

        /// <summary>MCE + QWK as a module; see <see cref="functional.mce_qwk_loss"/>.</summary>
        /// <param name="C">The weight C ∈ [0, 1] of QWK (default 0.5).</param>
        /// <param name="penalization_type">Quadratic (default) or linear penalties of the QWK part.</param>
        /// <include file="../LossParameters.xml" path="losses/ordinal/factory/param[@name='input_type']"/>
        /// <param name="weight">Optional per-class weights (K), given to both parts.</param>
        /// <param name="reduction">Mean or Sum (both the batch value); None is refused.</param>
        public static Modules.MCEQWKLoss MCEQWKLoss(double? C = null, KappaPenalty? penalization_type = null, EmdInput? input_type = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
            new(C, penalization_type, input_type, weight, reduction);

        public static partial class functional
        {
            /// <summary>
            /// CORAL (Cao, Mirjalili and Raschka 2020; docs/math.md §16): the K - 1 binary tasks "y &gt; q" of a
            /// threshold model, L_i = Σ_q λ_q [softplus(z_iq) - [y_i &gt; q] z_iq] (the binary cross-entropy with
            /// logits summed over tasks, exact for any finite logits), dL/dz_iq = λ_q (σ(z_iq) - [y_i &gt; q]).
            /// Mean is the (weighted) mean over samples of L_i, as coral-pytorch 1.4's <c>coral_loss</c>. The
            /// prediction is the number of thresholds passed (<see cref="ordinal.threshold_predict"/>), the class
            /// distribution <see cref="ordinal.coral_probabilities"/>; <see cref="CoralLayer"/> is the head.
            /// </summary>
            /// <include file="../LossParameters.xml" path="losses/ordinal/threshold/param"/>
            /// <include file="../LossParameters.xml" path="losses/ordinal/functional/param[@name!='input' and @name!='input_type']"/>
            /// <param name="importance_weights">Optional per-task weights λ_q (K - 1 values, finite, ≥ 0; default 1).</param>
            /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
            /// <exception cref="ArgumentException">A shape, class index, weight or option is invalid, or the input holds NaN.</exception>
            public static Tensor coral_loss(Tensor input, Tensor target, IReadOnlyList<double>? importance_weights = null, EmdInput? input_type = null, Tensor? weight = null, Tensor? sample_weight = null, Reduction reduction = Reduction.Mean) =>
                LossEngine.Run(new CoralDefinition(importance_weights), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);

            /// <summary>
            /// CORN (Shi, Cao and Raschka 2023; docs/math.md §17): task q (K - 1 outputs z_q, read as
            /// P(y &gt; q | y &gt; q - 1) = σ(z_q)) is trained on the samples with y ≥ q only, with label [y &gt; q]:
            /// sample i contributes b_iq = softplus(z_iq) - [y_i &gt; q] z_iq for q ≤ min(y_i, K - 2). Mean is the
            /// total over (sample, task) pairs divided by their (weighted) number, as coral-pytorch 1.4 and
            /// dlordinal; Sum and None hold each sample's total. The prediction is
            /// <see cref="ordinal.corn_predict"/>, the distribution <see cref="ordinal.corn_probabilities"/>.
            /// </summary>
            /// <include file="../LossParameters.xml" path="losses/ordinal/threshold/param"/>
            /// <include file="../LossParameters.xml" path="losses/ordinal/functional/param[@name='target' or @name='sample_weight' or @name='reduction']"/>
            /// <param name="weight">Optional per-class weights (K): v_i = weight[target_i] multiplies all of sample i's pairs, in the mean's numerator and denominator.</param>
            /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
            /// <exception cref="ArgumentException">A shape, class index or weight is invalid, or the input holds NaN.</exception>
            public static Tensor corn_loss(Tensor input, Tensor target, EmdInput? input_type = null, Tensor? weight = null, Tensor? sample_weight = null, Reduction reduction = Reduction.Mean) =>
                LossEngine.Run(new CornDefinition(), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);

            /// <summary>
            /// Logistic all-threshold (Rennie and Srebro 2005, as dlordinal's LogisticATLoss; docs/math.md §18): with
            /// margins z_iq = f_i - θ_q, every threshold penalises the wrong side, L_i = Σ_{q &lt; y_i} softplus(-z_iq)
            /// + Σ_{q ≥ y_i} softplus(z_iq) = Σ_q [softplus(z_iq) - [y_i &gt; q] z_iq]; dL/dz_iq = σ(z_iq) - [y_i &gt; q].
            /// dlordinal returns the batch sum (Reduction.Sum here); Mean is the (weighted) mean over samples. Its
            /// regulariser on the layer's weight belongs to the optimiser. Prediction: the number of thresholds below
            /// f (<see cref="ordinal.threshold_predict"/>); distribution <see cref="ordinal.logistic_at_probabilities"/>.
            /// </summary>
            /// <include file="../LossParameters.xml" path="losses/ordinal/threshold/param"/>
            /// <include file="../LossParameters.xml" path="losses/ordinal/functional/param[@name!='input' and @name!='input_type']"/>
            /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
            /// <exception cref="ArgumentException">A shape, class index or weight is invalid, or the input holds NaN.</exception>
            public static Tensor logistic_at_loss(Tensor input, Tensor target, EmdInput? input_type = null, Tensor? weight = null, Tensor? sample_weight = null, Reduction reduction = Reduction.Mean) =>
                LossEngine.Run(new LogisticAtDefinition(), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);

            /// <summary>
            /// Cross-entropy against a soft target built from the class (docs/math.md §19): with the shape's K x K
            /// matrix M, t_i = (1 - ε)[(1 - η) e_{y_i} + η M_{y_i}] + ε/K and L_i = -Σ_k t_ik log p_ik (log-softmax,
            /// exact for any finite logits); dL/dz_ik = (Σ_k t_ik) p_ik - t_ik. One loss for SORD, the Gaussian
            /// (DLDL) and dlordinal's unimodal shapes (binomial, Poisson, exponential, beta, triangular, generalised
            /// triangular, geometric) and user matrices: see <see cref="SoftLabelShape"/>. Weights follow docs/math.md §15
            /// (dlordinal passes a class weight into its cross-entropy's sum over classes, a different loss).
            /// </summary>
            /// <include file="../LossParameters.xml" path="losses/ordinal/functional/param"/>
            /// <param name="shape">The target shape.</param>
            /// <param name="eta">η in [0, 1] (default 1: the shape alone; 0: plain cross-entropy).</param>
            /// <param name="label_smoothing">ε in [0, 1] (default 0).</param>
            /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
            /// <exception cref="ArgumentException">A shape, class index, weight or option is invalid (or the shape is not defined for K), or the input holds NaN.</exception>
            public static Tensor soft_label_ce_loss(Tensor input, Tensor target, SoftLabelShape shape, double? eta = null, double? label_smoothing = null, EmdInput? input_type = null, Tensor? weight = null, Tensor? sample_weight = null, Reduction reduction = Reduction.Mean) =>
                LossEngine.Run(new SoftLabelCeDefinition(shape, eta, label_smoothing), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);

            /// <summary>
            /// Class distance weighted cross-entropy (Polat et al. 2022; docs/math.md §22): the probability put on a
            /// wrong class j is penalised by |j - y|^α, L_i = -Σ_{j ≠ y_i} |j - y_i|^α log(1 - p_ij), with
            /// log(1 - p_j) = logsumexp_{k ≠ j} z_k - logsumexp_k z_k computed exactly: shift-invariant, finite
            /// for any finite logits, with the full gradient for a confidently wrong sample (dlordinal's form from raw
            /// exponentials is none of these; on ordinary logits the two agree to about 10⁻⁸). No margin: dlordinal
            /// 2.7 has none and the journal version's could not be checked against a released implementation.
            /// </summary>
            /// <include file="../LossParameters.xml" path="losses/ordinal/functional/param[@name!='weight']"/>
            /// <param name="alpha">α &gt; 0 (default 0.5).</param>
            /// <param name="weight">Optional per-class weights (K), finite and ≥ 0: sample i is weighted by weight[target_i] (dlordinal normalises them to sum 1 and divides by N).</param>
            /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
            /// <exception cref="ArgumentException">A shape, class index, weight or α is invalid, or the input holds NaN.</exception>
            public static Tensor cdw_ce_loss(Tensor input, Tensor target, double? alpha = null, EmdInput? input_type = null, Tensor? weight = null, Tensor? sample_weight = null, Reduction reduction = Reduction.Mean) =>
                LossEngine.Run(new CdwCeDefinition(alpha), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);

            /// <summary>
            /// SLACE (AAAI 2025, as dlordinal's SLACELoss; docs/math.md §23): with SORD's targets
            /// q_k = softmax_k(-α|k - y|) and the accumulated probability A_k = Σ_{j : |j - y| ≤ |k - y|} p_j,
            /// L = -Σ_k q_k log A_k, log A_k computed as a logsumexp of the log-softmax (exact for any finite logits;
            /// dlordinal adds 10⁻⁹ inside the log).
            /// </summary>
            /// <include file="../LossParameters.xml" path="losses/ordinal/functional/param"/>
            /// <param name="alpha">α &gt; 0.</param>
            /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
            /// <exception cref="ArgumentException">A shape, class index, weight or α is invalid, or the input holds NaN.</exception>
            public static Tensor slace_loss(Tensor input, Tensor target, double alpha, EmdInput? input_type = null, Tensor? weight = null, Tensor? sample_weight = null, Reduction reduction = Reduction.Mean) =>
                LossEngine.Run(new SlaceDefinition(alpha), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);

            /// <summary>
            /// The ordinal ECOC distance loss (Barbero-Gómez, Gutiérrez and Hervás-Martínez 2023, as dlordinal's
            /// OrdinalECOCDistanceLoss; docs/math.md §24): the squared distance of the K - 1 outputs o_q from the code
            /// word of the target, L_i = Σ_q (o_iq - [y_i &gt; q])², with o = σ(z) for logits. dlordinal returns the
            /// batch sum (Reduction.Sum here). Decoding: <see cref="ordinal.ecoc_predict"/>, <see cref="ordinal.ecoc_probabilities"/>.
            /// </summary>
            /// <param name="input">N x (K - 1) logits, or probabilities in [0, 1] with <see cref="EmdInput.Probabilities"/>.</param>
            /// <include file="../LossParameters.xml" path="losses/ordinal/functional/param[@name!='input']"/>
            /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
            /// <exception cref="ArgumentException">A shape, class index or weight is invalid, or the input holds NaN (or, as probabilities, a value outside [0, 1]).</exception>
            public static Tensor ecoc_loss(Tensor input, Tensor target, EmdInput? input_type = null, Tensor? weight = null, Tensor? sample_weight = null, Reduction reduction = Reduction.Mean) =>
                LossEngine.Run(new EcocDefinition(), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);

            /// <summary>
            /// The weighted-kappa loss (de la Torre, Puig and Valls 2018, as dlordinal's WKLoss; docs/math.md §20), a
            /// batch-level ratio: with p_n = softmax(z_n), one-hot t_n, sample weights s_n and S = Σ s_n,
            /// L = Σ_ij ω_ij O_ij / (Σ_ij ω_ij a_i b_j / S + ε), O = Σ_n s_n p_n t_nᵀ, a = Σ_n s_n p_n, b = Σ_n s_n t_n,
            /// ε = 10⁻¹⁰ (1 - κ_w for soft predictions, in [0, 2]); log(L + ε) with <paramref name="use_logarithm"/>.
            /// Float32 and float64 alike. A batch of one class gives L ≈ 1 and almost no gradient.
            /// </summary>
            /// <include file="../LossParameters.xml" path="losses/ordinal/functional/param[@name='input' or @name='target' or @name='input_type']"/>
            /// <param name="penalization_type">Quadratic (default) or linear.</param>
            /// <param name="use_logarithm">Whether to return log(L + ε) (default false).</param>
            /// <param name="weight">Optional per-class weights (K): ω_ij w_j, the column of the true class (dlordinal).</param>
            /// <param name="sample_weight">Optional per-sample weights (N), finite, ≥ 0, not all 0: integer weights equal repeated rows.</param>
            /// <param name="reduction">Mean (default) or Sum: the batch value either way; None is refused (there are no per-sample values).</param>
            /// <returns>The loss, a scalar.</returns>
            /// <exception cref="ArgumentException">A shape, class index, weight or option is invalid, the batch is empty, or the input holds NaN.</exception>
            public static Tensor qwk_loss(Tensor input, Tensor target, KappaPenalty? penalization_type = null, bool? use_logarithm = null, EmdInput? input_type = null, Tensor? weight = null, Tensor? sample_weight = null, Reduction reduction = Reduction.Mean) =>
                LossEngine.Run(new QwkDefinition(penalization_type, use_logarithm), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);

            /// <summary>
            /// MCE (dlordinal's MCELoss; docs/math.md §21): the mean squared error of each class's probability against
            /// its one-hot indicator, per class, MSE_c = Σ_n s_n w_c (t_nc - p_nc)² / Σ_n s_n; Mean = (1/K) Σ_c MSE_c,
            /// Sum = Σ_c MSE_c, None = the K values (per class, not per sample, as dlordinal).
            /// </summary>
            /// <include file="../LossParameters.xml" path="losses/ordinal/functional/param[@name='input' or @name='target' or @name='input_type']"/>
            /// <include file="../LossParameters.xml" path="losses/ordinal/batch/param"/>
            /// <param name="weight">Optional per-class weights (K): w_c multiplies the squared errors of prediction column c.</param>
            /// <param name="reduction">Mean (default), Sum, or None (K values).</param>
            /// <returns>A scalar, or K per-class values with <see cref="Reduction.None"/>.</returns>
            /// <exception cref="ArgumentException">A shape, class index or weight is invalid, the batch is empty, or the input holds NaN.</exception>
            public static Tensor mce_loss(Tensor input, Tensor target, EmdInput? input_type = null, Tensor? weight = null, Tensor? sample_weight = null, Reduction reduction = Reduction.Mean) =>
                LossEngine.Run(new MceDefinition(), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);

            /// <summary>
            /// MCE + QWK (dlordinal's MCEAndWKLoss; docs/math.md §21): C · <see cref="qwk_loss"/> + (1 - C) ·
            /// <see cref="mce_loss"/> (the mean over classes), with the same class weights in both parts; batch-level.
            /// </summary>
            /// <include file="../LossParameters.xml" path="losses/ordinal/functional/param[@name='input' or @name='target' or @name='input_type']"/>
            /// <include file="../LossParameters.xml" path="losses/ordinal/batch/param"/>
            /// <param name="C">C ∈ [0, 1] (default 0.5).</param>
            /// <param name="penalization_type">Quadratic (default) or linear.</param>
            /// <param name="weight">Optional per-class weights (K).</param>
            /// <param name="reduction">Mean (default) or Sum: the batch value; None is refused.</param>
            /// <returns>The loss, a scalar.</returns>
            /// <exception cref="ArgumentException">A shape, class index, weight or option is invalid, the batch is empty, or the input holds NaN.</exception>
            public static Tensor mce_qwk_loss(Tensor input, Tensor target, double? C = null, KappaPenalty? penalization_type = null, EmdInput? input_type = null, Tensor? weight = null, Tensor? sample_weight = null, Reduction reduction = Reduction.Mean) =>
                LossEngine.Run(new MceQwkDefinition(C, penalization_type), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);
        }
    }
}
