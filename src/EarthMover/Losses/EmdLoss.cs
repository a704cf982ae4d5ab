using EarthMover.Engine;
using EarthMover.Kernels.Rows;
using EarthMover.Kernels.Transport;

namespace EarthMover;

public static partial class earthmover
{
    public static partial class nn
    {
        /// <summary>The exact EMD between the prediction and a target distribution under any ground distance; see <see cref="functional.emd_loss(Tensor, Tensor, GroundDistance, EmdInput?, Tensor?, Tensor?, Reduction)"/>.</summary>
        /// <param name="distance">The ground distance D between classes.</param>
        /// <include file="LossParameters.xml" path="losses/factory/param"/>
        public static Modules.EMDLoss EMDLoss(GroundDistance distance, EmdInput? input_type = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
            new(distance, input_type, weight, reduction);

        public static partial class functional
        {
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
        }
    }
}

/// <summary>The exact EMD under any ground distance (docs/math.md §10): a row kernel solving each row's transport problem.</summary>
internal sealed class EmdDefinition(GroundDistance distance) : LossDefinition
{
    private readonly GroundDistance _distance = distance ?? throw new ArgumentNullException(nameof(distance));

    public override string Name => "emd_loss";

    public override bool DifferentiatesTarget => false;

    public override FusedKind Fused => FusedKind.Row;

    public override void CheckClasses(int classes) => Check.Classes(classes, _distance.Classes, nameof(distance));

    public override IRowKernel RowKernel(int classes) => Solver(_distance);

    /// <summary>The EMD is piecewise linear in the prediction: its tangent form is exact (<see cref="TangentForm"/>).</summary>
    public override Tensor TensorRows(Tensor input, Tensor target, bool logits) =>
        TangentForm.Rows(Solver(_distance), input, target, logits);

    /// <summary>The solver for a distance, made once per distance.</summary>
    internal static ExactTransport Solver(GroundDistance distance) =>
        distance.CachedKernel(() => new ExactTransport(distance.Classes, distance.Values));
}
