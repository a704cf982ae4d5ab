using EarthMover.Engine;
using EarthMover.Kernels;
using EarthMover.Kernels.Transport;

namespace EarthMover;

public static partial class earthmover
{
    public static partial class nn
    {
        /// <summary>The entropic (Sinkhorn) EMD; see <see cref="functional.sinkhorn_loss(Tensor, Tensor, GroundDistance, double, SinkhornQuantity?, int?, double?, EmdInput?, Tensor?, Tensor?, Reduction)"/>.</summary>
        /// <param name="distance">The ground distance D between classes.</param>
        /// <param name="epsilon">The entropic regularisation ε &gt; 0, in the units of D (POT's <c>reg</c>).</param>
        /// <param name="quantity">The transport cost of the entropic plan (POT's value), the entropic objective, or the debiased divergence.</param>
        /// <param name="max_iter">At most this many Sinkhorn iterations.</param>
        /// <param name="tol">Stop when every row's marginal error is below this.</param>
        /// <include file="LossParameters.xml" path="losses/factory/param"/>
        public static Modules.SinkhornLoss SinkhornLoss(GroundDistance distance, double epsilon, SinkhornQuantity? quantity = null, int? max_iter = null, double? tol = null, EmdInput? input_type = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
            new(distance, epsilon, quantity, max_iter, tol, input_type, weight, reduction);

        public static partial class functional
        {
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
        }
    }
}

/// <summary>The entropic EMD (docs/math.md §11): log-domain Sinkhorn iterations, row by row on the CPU, in tensor operations elsewhere.</summary>
internal sealed class SinkhornDefinition : LossDefinition
{
    private readonly GroundDistance _distance;
    private readonly double _epsilon;
    private readonly SinkhornQuantity _quantity;
    private readonly int _maxIter;
    private readonly double? _tol;

    public SinkhornDefinition(GroundDistance distance, double epsilon, SinkhornQuantity? quantity, int? maxIter, double? tol)
    {
        _distance = distance ?? throw new ArgumentNullException(nameof(distance));
        _epsilon = epsilon;
        _quantity = quantity ?? LossDefaults.Sinkhorn;
        _maxIter = maxIter ?? LossDefaults.SinkhornMaxIterations;
        _tol = tol;
        Sinkhorn.CheckOptions(_epsilon, _quantity, _maxIter, _tol);
    }

    public override string Name => "sinkhorn_loss";

    public override bool DifferentiatesTarget => false;

    public override void CheckClasses(int classes) => Check.Classes(classes, _distance.Classes, "distance");

    public override Tensor TensorRows(Tensor input, Tensor target, bool logits) =>
        Sinkhorn.Rows(input, target, _distance, _epsilon, _quantity, _maxIter, _tol, logits);

    /// <summary>First derivatives come from the detached potentials; the exact Hessian costs a factorisation per row, paid only under create_graph.</summary>
    public override bool HasSecondOrderForm => true;

    public override Tensor SecondOrderRows(Tensor input, Tensor target, bool logits) =>
        Sinkhorn.Rows(input, target, _distance, _epsilon, _quantity, _maxIter, _tol, logits, twiceDifferentiable: true);
}
