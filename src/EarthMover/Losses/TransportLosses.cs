// The public forms of the optimal-transport losses (docs/math.md §1-§14): the factories in earthmover.nn and the
// functions in earthmover.nn.functional, each calling the engine with its loss's definition (Losses/*Loss.cs).
namespace EarthMover;

public static partial class earthmover
{
    public static partial class nn
    {
        /// <summary>
        /// The squared Earth Mover's Distance loss for ordered classes (docs/math.md §2); see
        /// <see cref="functional.squared_emd_loss"/> for the formula and parameters.
        /// </summary>
        /// <param name="p">The power p ≥ 1 of the CDF differences (default <see cref="LossDefaults.P"/> = 2: the paper's EMD²).</param>
        /// <param name="root">Take the p-th root per sample (NIMA's EMD_p); default no.</param>
        /// <param name="positions">Class positions, strictly increasing (default 0, 1, ..., C-1).</param>
        /// <param name="normalization">s = 1/C (the paper, default) or 1 (the plain sum, the RPS for p = 2).</param>
        /// <include file="LossParameters.xml" path="losses/factory/param"/>
        public static Modules.SquaredEMDLoss SquaredEMDLoss(double? p = null, bool? root = null, IReadOnlyList<double>? positions = null, EmdNormalization? normalization = null, EmdInput? input_type = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
            new(p, root, positions, normalization, input_type, weight, reduction);

        /// <summary>The exact EMD to one-hot targets under a ground distance (docs/math.md §3); see <see cref="functional.ground_emd_loss(Tensor, Tensor, GroundDistance, EmdInput?, Tensor?, Tensor?, Reduction)"/>.</summary>
        /// <param name="distance">The ground distance D between classes.</param>
        /// <include file="LossParameters.xml" path="losses/factory/param"/>
        public static Modules.GroundEMDLoss GroundEMDLoss(GroundDistance distance, EmdInput? input_type = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
            new(distance, input_type, weight, reduction);

        /// <summary>The paper's XEMD loss for a weight matrix W (docs/math.md §4); see <see cref="functional.xemd_loss(Tensor, Tensor, XemdWeights, EmdNormalization?, EmdInput?, Tensor?, Tensor?, Reduction)"/>.</summary>
        /// <param name="xemd_weights">The weight matrix W.</param>
        /// <param name="normalization">s = 1/C (the authors' code, default) or 1.</param>
        /// <include file="LossParameters.xml" path="losses/factory/param"/>
        public static Modules.XEMDLoss XEMDLoss(XemdWeights xemd_weights, EmdNormalization? normalization = null, EmdInput? input_type = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
            new(xemd_weights, normalization, input_type, weight, reduction);

        /// <summary>The exact EMD between the prediction and a target distribution under any ground distance; see <see cref="functional.emd_loss(Tensor, Tensor, GroundDistance, EmdInput?, Tensor?, Tensor?, Reduction)"/>.</summary>
        /// <param name="distance">The ground distance D between classes.</param>
        /// <include file="LossParameters.xml" path="losses/factory/param"/>
        public static Modules.EMDLoss EMDLoss(GroundDistance distance, EmdInput? input_type = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
            new(distance, input_type, weight, reduction);

        /// <summary>The entropic (Sinkhorn) EMD; see <see cref="functional.sinkhorn_loss(Tensor, Tensor, GroundDistance, double, SinkhornQuantity?, int?, double?, EmdInput?, Tensor?, Tensor?, Reduction)"/>.</summary>
        /// <param name="distance">The ground distance D between classes.</param>
        /// <param name="epsilon">The entropic regularisation ε &gt; 0, in the units of D (POT's <c>reg</c>).</param>
        /// <param name="quantity">The transport cost of the entropic plan (POT's value), the entropic objective, or the debiased divergence.</param>
        /// <param name="max_iter">At most this many Sinkhorn iterations.</param>
        /// <param name="tol">Stop when every row's marginal error is below this.</param>
        /// <include file="LossParameters.xml" path="losses/factory/param"/>
        public static Modules.SinkhornLoss SinkhornLoss(GroundDistance distance, double epsilon, SinkhornQuantity? quantity = null, int? max_iter = null, double? tol = null, EmdInput? input_type = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
            new(distance, epsilon, quantity, max_iter, tol, input_type, weight, reduction);

        /// <summary>The exact EMD under a tree metric between classes; see <see cref="functional.tree_emd_loss(Tensor, Tensor, ClassTree, EmdInput?, Tensor?, Tensor?, Reduction)"/>.</summary>
        /// <param name="tree">The class hierarchy with edge lengths.</param>
        /// <include file="LossParameters.xml" path="losses/factory/param"/>
        public static Modules.TreeEMDLoss TreeEMDLoss(ClassTree tree, EmdInput? input_type = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
            new(tree, input_type, weight, reduction);

        /// <summary>The p-Wasserstein distance for ordered classes; see <see cref="functional.wasserstein_1d_loss"/>.</summary>
        /// <param name="p">The power p ≥ 1 of the ground cost |x_i - x_j|^p (default <see cref="LossDefaults.P"/> = 2: W2²).</param>
        /// <param name="root">Return W_p instead of W_p^p.</param>
        /// <param name="positions">Class positions, strictly increasing (default 0, 1, ..., C-1).</param>
        /// <include file="LossParameters.xml" path="losses/factory/param"/>
        public static Modules.Wasserstein1dLoss Wasserstein1dLoss(double? p = null, bool? root = null, IReadOnlyList<double>? positions = null, EmdInput? input_type = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
            new(p, root, positions, input_type, weight, reduction);

        public static partial class functional
        {
            /// <summary>
            /// The squared Earth Mover's Distance for ordered classes (Hou, Yu and Samaras; docs/math.md §2). With P and T
            /// the cumulative distributions of the prediction softmax(input) and of the target,
            /// <c>L = s · Σ_{m=1}^{C-1} (x_{m+1} - x_m) · |P_m - T_m|^p</c>, and <c>L^(1/p)</c> when <paramref name="root"/> is set.
            /// With the defaults (p = 2, unit spacing, s = 1/C) this is the paper's EMD² = (1/C) Σ_m (P_m - T_m)².
            /// With s = 1: p = 1 is the exact 1-Wasserstein distance on the line (SciPy's wasserstein_distance),
            /// p = 2 is half the squared energy distance (the Cramér distance; the Ranked Probability Score).
            /// It is not W2² (ground cost |i - j|²): for that use <see cref="wasserstein_1d_loss"/> or <see cref="ground_emd_loss(Tensor, Tensor, GroundDistance, EmdInput?, Tensor?, Tensor?, Reduction)"/>.
            /// </summary>
            /// <include file="LossParameters.xml" path="losses/functional/param"/>
            /// <param name="target">N class indices (int64), or N x C target distributions (soft labels).</param>
            /// <param name="p">The power p ≥ 1 (default <see cref="LossDefaults.P"/> = 2).</param>
            /// <param name="root">Take the p-th root per sample; its gradient is kept finite (zero) where prediction equals target.</param>
            /// <param name="positions">Class positions x, strictly increasing (default 0, 1, ..., C-1).</param>
            /// <param name="normalization">s = 1/C (<see cref="EmdNormalization.Paper"/>, default) or 1.</param>
            /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
            /// <exception cref="ArgumentException">A shape, type, device, class index, distribution, weight, power or position is invalid; the message names it.</exception>
            public static Tensor squared_emd_loss(Tensor input, Tensor target, double? p = null, bool? root = null, IReadOnlyList<double>? positions = null, EmdNormalization? normalization = null, EmdInput? input_type = null, Tensor? weight = null, Tensor? sample_weight = null, Reduction reduction = Reduction.Mean) =>
                LossEngine.Run(new SquaredEmdDefinition(p, root, positions, normalization), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);

            /// <summary>
            /// The exact Earth Mover's Distance from the prediction p = softmax(input) to a one-hot target e_k
            /// under a ground distance D (docs/math.md §3): all mass must move to k, so <c>EMD(p, e_k) = Σ_i p_i D_ik</c>.
            /// With D from <see cref="GroundDistance.FromPositions"/> (|x_i - x_j|^w), w = 1 gives W1 and w = 2 gives W2².
            /// Soft targets need a transport solver and are not accepted.
            /// </summary>
            /// <include file="LossParameters.xml" path="losses/functional/param"/>
            /// <param name="target">N class indices (int64).</param>
            /// <param name="distance">The ground distance D, C x C.</param>
            /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
            /// <exception cref="ArgumentException">A shape or class index is invalid, or D does not match C.</exception>
            public static Tensor ground_emd_loss(Tensor input, Tensor target, GroundDistance distance, EmdInput? input_type = null, Tensor? weight = null, Tensor? sample_weight = null, Reduction reduction = Reduction.Mean) =>
                LossEngine.Run(new GroundEmdDefinition(distance), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);

            /// <summary>
            /// <see cref="ground_emd_loss(Tensor, Tensor, GroundDistance, EmdInput?, Tensor?, Tensor?, Reduction)"/> with D given as a
            /// tensor, checked on every call; build a <see cref="GroundDistance"/> once to check it once.
            /// </summary>
            /// <include file="LossParameters.xml" path="losses/functional/param"/>
            /// <param name="target">N class indices (int64).</param>
            /// <param name="distance">The ground distance D: C x C, finite, ≥ 0, zero diagonal.</param>
            /// <returns>The loss.</returns>
            public static Tensor ground_emd_loss(Tensor input, Tensor target, Tensor distance, EmdInput? input_type = null, Tensor? weight = null, Tensor? sample_weight = null, Reduction reduction = Reduction.Mean) =>
                LossEngine.Run(new GroundEmdDefinition(GroundDistance.FromMatrix(distance)), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);

            /// <summary>
            /// The XEMD loss of the authors' code (docs/math.md §4): for a one-hot target t = e_k,
            /// <c>L = s Σ_i (p_i - t_i)² W_{k,i} = s [(1 - p_k)² + Σ_{i≠k} p_i² W_{k,i}]</c> with s = 1/C (or 1), and W built from a
            /// distance matrix by <see cref="XemdWeights.FromDistance(GroundDistance, XemdPreset)"/>. A squared-probability
            /// surrogate, not the exact EMD; the paper trains it together with cross-entropy (see the training schedule).
            /// </summary>
            /// <include file="LossParameters.xml" path="losses/functional/param"/>
            /// <param name="target">N class indices (int64).</param>
            /// <param name="xemd_weights">The weight matrix W, C x C.</param>
            /// <param name="normalization">s = 1/C (<see cref="EmdNormalization.Paper"/>, default) or 1.</param>
            /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
            /// <exception cref="ArgumentException">A shape or class index is invalid, or W does not match C.</exception>
            public static Tensor xemd_loss(Tensor input, Tensor target, XemdWeights xemd_weights, EmdNormalization? normalization = null, EmdInput? input_type = null, Tensor? weight = null, Tensor? sample_weight = null, Reduction reduction = Reduction.Mean) =>
                LossEngine.Run(new XemdDefinition(xemd_weights, normalization), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);

            /// <summary>
            /// <see cref="xemd_loss(Tensor, Tensor, XemdWeights, EmdNormalization?, EmdInput?, Tensor?, Tensor?, Reduction)"/> with W given
            /// as a tensor, checked on every call.
            /// </summary>
            /// <include file="LossParameters.xml" path="losses/functional/param"/>
            /// <param name="target">N class indices (int64).</param>
            /// <param name="xemd_weights">The weight matrix W: C x C, finite.</param>
            /// <param name="normalization">s = 1/C (default) or 1.</param>
            /// <returns>The loss.</returns>
            public static Tensor xemd_loss(Tensor input, Tensor target, Tensor xemd_weights, EmdNormalization? normalization = null, EmdInput? input_type = null, Tensor? weight = null, Tensor? sample_weight = null, Reduction reduction = Reduction.Mean) =>
                xemd_loss(input, target, XemdWeights.FromMatrix(xemd_weights), normalization, input_type, weight, sample_weight, reduction);

            /// <summary>
            /// The exact Earth Mover's Distance (optimal transport cost) from the prediction p = softmax(input)
            /// to a target distribution t under a ground distance D (docs/math.md §10):
            /// <c>EMD(p, t) = min Σ_ij P_ij D_ij</c> over plans P ≥ 0 with row sums p and column sums t, solved
            /// exactly per row by a network simplex on the CPU (POT's <c>ot.emd2</c>, batched). D may be any
            /// non-negative matrix with zero diagonal: the linear program is defined for any cost; when D also
            /// satisfies the triangle inequality (a metric, or a quasi-metric: symmetry is not needed) the
            /// solver moves only the excess p - t, a problem half the size. With class indices as targets this
            /// equals <see cref="ground_emd_loss(Tensor, Tensor, GroundDistance, EmdInput?, Tensor?, Tensor?, Reduction)"/>, Σ_i p_i D_ik.
            /// The gradient with respect to p is an optimal dual potential f (f_i + g_j ≤ D_ij, Σ f p + Σ g t = EMD),
            /// centred to sum to zero, and through the softmax for logits; where the problem is degenerate (ties
            /// in D, p = t) the dual is not unique and any optimal one is a valid subgradient.
            /// Tensors on other devices or of other types are copied to the CPU as float64 for the solver, and the
            /// loss and gradient copied back.
            /// </summary>
            /// <include file="LossParameters.xml" path="losses/functional/param"/>
            /// <param name="target">N class indices (int64), or N x C target distributions. Rows are scaled to unit mass (they may be off by the distribution tolerance).</param>
            /// <param name="distance">The ground distance D, C x C.</param>
            /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
            /// <exception cref="ArgumentException">A shape, class index or distribution is invalid, or D does not match C.</exception>
            public static Tensor emd_loss(Tensor input, Tensor target, GroundDistance distance, EmdInput? input_type = null, Tensor? weight = null, Tensor? sample_weight = null, Reduction reduction = Reduction.Mean) =>
                LossEngine.Run(new EmdDefinition(distance), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);

            /// <summary>
            /// <see cref="emd_loss(Tensor, Tensor, GroundDistance, EmdInput?, Tensor?, Tensor?, Reduction)"/> with D given as a
            /// tensor, checked on every call; build a <see cref="GroundDistance"/> once to check it once (and to
            /// keep the solver's per-distance tables between calls).
            /// </summary>
            /// <include file="LossParameters.xml" path="losses/functional/param"/>
            /// <param name="target">N class indices (int64), or N x C target distributions.</param>
            /// <param name="distance">The ground distance D: C x C, finite, ≥ 0, zero diagonal.</param>
            /// <returns>The loss.</returns>
            public static Tensor emd_loss(Tensor input, Tensor target, Tensor distance, EmdInput? input_type = null, Tensor? weight = null, Tensor? sample_weight = null, Reduction reduction = Reduction.Mean) =>
                emd_loss(input, target, GroundDistance.FromMatrix(distance), input_type, weight, sample_weight, reduction);

            /// <summary>
            /// The entropic Earth Mover's Distance between the prediction p = softmax(input) and a target distribution t
            /// (Cuturi 2013; Frogner et al. 2015; docs/math.md §11). The plan P_ε minimises
            /// <c>⟨P, D⟩ + ε Σ P (log P - 1)</c> over plans with row sums p and column sums t; it is found by
            /// Sinkhorn's iterations in the log domain (POT's <c>ot.bregman.sinkhorn_log</c>; on the CPU row by row
            /// on the losses' worker threads, elsewhere all rows at once in tensor operations), which stay finite at small ε. <paramref name="quantity"/>
            /// chooses the value: <see cref="SinkhornQuantity.Cost"/> = ⟨P_ε, D⟩ (POT's <c>ot.sinkhorn2</c>),
            /// <see cref="SinkhornQuantity.Regularized"/> = OT_ε = ⟨P_ε, D⟩ + ε Σ P_ε (log P_ε - 1), or
            /// <see cref="SinkhornQuantity.Divergence"/> = OT_ε(p, t) - (OT_ε(p, p) + OT_ε(t, t)) / 2. As ε → 0 each
            /// tends to the exact EMD (<see cref="emd_loss(Tensor, Tensor, GroundDistance, EmdInput?, Tensor?, Tensor?, Reduction)"/>).
            /// The iterations run without autograd; the gradient with respect to p is exact at convergence:
            /// the dual potential for the regularized objective and the divergence (envelope theorem), implicit
            /// differentiation of the plan for the cost. Iterations stop after <paramref name="max_iter"/>, or once
            /// the column marginals are within <paramref name="tol"/> of t (L2 norm, checked every 10 iterations, as
            /// POT does): on the CPU each row once its own are, elsewhere all rows once every row's are. The row
            /// marginals are exact after each iteration. No gradient flows to the target.
            /// </summary>
            /// <include file="LossParameters.xml" path="losses/functional/param"/>
            /// <param name="target">N class indices (int64), or N x C target distributions. Rows are scaled to unit mass.</param>
            /// <param name="distance">The ground distance D, C x C.</param>
            /// <param name="epsilon">The regularisation ε &gt; 0, in the units of D.</param>
            /// <param name="quantity">Which value to return (default: the cost, as POT's <c>sinkhorn2</c>).</param>
            /// <param name="max_iter">The iteration cap (default 1000, as POT).</param>
            /// <param name="tol">The stopping threshold on the marginal error (default 1e-9 for float64 as POT, <see cref="LossDefaults.SinkhornToleranceFloat32"/> = 1e-6 for float32, whose resolution 1e-9 is below); 0 runs all <paramref name="max_iter"/> iterations.</param>
            /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
            /// <exception cref="ArgumentException">A shape, class index or distribution is invalid, D does not match C, or ε, max_iter or tol is out of range.</exception>
            public static Tensor sinkhorn_loss(Tensor input, Tensor target, GroundDistance distance, double epsilon, SinkhornQuantity? quantity = null, int? max_iter = null, double? tol = null, EmdInput? input_type = null, Tensor? weight = null, Tensor? sample_weight = null, Reduction reduction = Reduction.Mean) =>
                LossEngine.Run(new SinkhornDefinition(distance, epsilon, quantity, max_iter, tol), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);

            /// <summary>
            /// <see cref="sinkhorn_loss(Tensor, Tensor, GroundDistance, double, SinkhornQuantity?, int?, double?, EmdInput?, Tensor?, Tensor?, Reduction)"/>
            /// with D given as a tensor, checked on every call.
            /// </summary>
            /// <include file="LossParameters.xml" path="losses/functional/param"/>
            /// <param name="target">N class indices (int64), or N x C target distributions.</param>
            /// <param name="distance">The ground distance D: C x C, finite, ≥ 0, zero diagonal.</param>
            /// <param name="epsilon">The regularisation ε &gt; 0, in the units of D.</param>
            /// <param name="quantity">Which value to return.</param>
            /// <param name="max_iter">The iteration cap.</param>
            /// <param name="tol">The stopping threshold on the marginal error.</param>
            /// <returns>The loss.</returns>
            public static Tensor sinkhorn_loss(Tensor input, Tensor target, Tensor distance, double epsilon, SinkhornQuantity? quantity = null, int? max_iter = null, double? tol = null, EmdInput? input_type = null, Tensor? weight = null, Tensor? sample_weight = null, Reduction reduction = Reduction.Mean) =>
                sinkhorn_loss(input, target, GroundDistance.FromMatrix(distance), epsilon, quantity, max_iter, tol, input_type, weight, sample_weight, reduction);

            /// <summary>
            /// The exact Earth Mover's Distance from the prediction p = softmax(input) to a target distribution t
            /// when the ground distance is the path length in a tree (docs/math.md §12): for any p
            /// and t, <c>EMD(p, t) = Σ_{edges e} w_e |p(below e) - t(below e)|</c>, where p(below e) is the mass
            /// of the classes under e (equal to POT's <c>ot.emd2</c> with D = <see cref="ClassTree.Distance"/>).
            /// Linear in the number of nodes, in one fused CPU pass like the other losses, or as a matrix product
            /// with the subtree indicator on any device. Class indices are one-hot targets. The gradient is
            /// dL/dp_k = Σ over the edges above class k of w_e sign(p(below e) - t(below e)), through the softmax
            /// for logits (sign 0 where the masses are equal, a subgradient).
            /// </summary>
            /// <include file="LossParameters.xml" path="losses/functional/param"/>
            /// <param name="target">N class indices (int64), or N x C target distributions.</param>
            /// <param name="tree">The class hierarchy (<see cref="ClassTree.FromParents"/>, or <see cref="ClassTree.FromDistance"/> / <see cref="GroundDistanceLearner.Tree"/> for one fitted to a distance).</param>
            /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
            /// <exception cref="ArgumentException">A shape, class index or distribution is invalid, or the tree's classes do not match C.</exception>
            public static Tensor tree_emd_loss(Tensor input, Tensor target, ClassTree tree, EmdInput? input_type = null, Tensor? weight = null, Tensor? sample_weight = null, Reduction reduction = Reduction.Mean) =>
                LossEngine.Run(new TreeEmdDefinition(tree), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);

            /// <summary>
            /// <see cref="tree_emd_loss(Tensor, Tensor, ClassTree, EmdInput?, Tensor?, Tensor?, Reduction)"/> with the tree given by its
            /// distance matrix, which must be a tree metric (<see cref="ClassTree.FromDistance"/>; checked on every call).
            /// </summary>
            /// <include file="LossParameters.xml" path="losses/functional/param"/>
            /// <param name="target">N class indices (int64), or N x C target distributions.</param>
            /// <param name="distance">The tree's path-length distance: C x C, a tree metric.</param>
            /// <returns>The loss.</returns>
            public static Tensor tree_emd_loss(Tensor input, Tensor target, Tensor distance, EmdInput? input_type = null, Tensor? weight = null, Tensor? sample_weight = null, Reduction reduction = Reduction.Mean) =>
                tree_emd_loss(input, target, ClassTree.FromDistance(GroundDistance.FromMatrix(distance)), input_type, weight, sample_weight, reduction);

            /// <summary>
            /// The p-Wasserstein distance between the prediction softmax(input) and the target on classes at
            /// positions x (docs/math.md §13): <c>W_p^p = ∫_0^1 |x(F_pred^-1(u)) - x(F_t^-1(u))|^p du</c>,
            /// the cost of the quantile (monotone) coupling, which is the exact EMD for the ground cost |x_i - x_j|^p
            /// (POT's <c>ot.wasserstein_1d(x, x, pred, t, p=p)</c>; <see cref="emd_loss(Tensor, Tensor, GroundDistance, EmdInput?, Tensor?, Tensor?, Reduction)"/>
            /// with <see cref="GroundDistance.FromPositions"/>(x, p) gives the same value, in O(C²) or more instead of O(C)).
            /// This is not the paper's CDF form (<see cref="squared_emd_loss"/>, Σ gaps · |P - T|^p): the two agree for
            /// p = 1 only; for p = 2, prediction [.5, 0, .5] and class 1 this is W2² = 1 where the squared-CDF loss with
            /// s = 1 is 0.5. The gradient is the optimal dual potential of the coupling (centred; through the softmax
            /// for logits). Computed on the CPU in float64; tensors on other devices are copied there and back.
            /// </summary>
            /// <include file="LossParameters.xml" path="losses/functional/param"/>
            /// <param name="target">N class indices (int64), or N x C target distributions. Rows are scaled to unit mass.</param>
            /// <param name="p">The power p ≥ 1 (default <see cref="LossDefaults.P"/> = 2).</param>
            /// <param name="root">Return W_p = (W_p^p)^(1/p) per sample; its gradient is taken as 0 where prediction equals target.</param>
            /// <param name="positions">Class positions x, strictly increasing (default 0, 1, ..., C-1).</param>
            /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
            /// <exception cref="ArgumentException">A shape, class index, distribution, weight, power or position is invalid.</exception>
            public static Tensor wasserstein_1d_loss(Tensor input, Tensor target, double? p = null, bool? root = null, IReadOnlyList<double>? positions = null, EmdInput? input_type = null, Tensor? weight = null, Tensor? sample_weight = null, Reduction reduction = Reduction.Mean) =>
                LossEngine.Run(new Wasserstein1dDefinition(p, root, positions), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);
        }
    }
}
