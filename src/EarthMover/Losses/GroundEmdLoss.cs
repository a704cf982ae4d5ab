using EarthMover.Engine;
using EarthMover.Kernels;

namespace EarthMover;

public static partial class earthmover
{
    public static partial class nn
    {
        /// <summary>The exact EMD to one-hot targets under a ground distance (docs/math.md §3); see <see cref="functional.ground_emd_loss(Tensor, Tensor, GroundDistance, EmdInput?, Tensor?, Tensor?, Reduction)"/>.</summary>
        /// <param name="distance">The ground distance D between classes.</param>
        /// <include file="LossParameters.xml" path="losses/factory/param"/>
        public static Modules.GroundEMDLoss GroundEMDLoss(GroundDistance distance, EmdInput? input_type = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
            new(distance, input_type, weight, reduction);

        public static partial class functional
        {
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
        }
    }
}

/// <summary>The EMD to one-hot targets under a ground distance (docs/math.md §3): Σ_i p_i D_ik, a tile kernel.</summary>
internal sealed class GroundEmdDefinition(GroundDistance distance) : LossDefinition
{
    private readonly GroundDistance _distance = distance ?? throw new ArgumentNullException(nameof(distance));

    public override string Name => "ground_emd_loss";

    public override bool AcceptsDistributions => false;

    public override FusedKind Fused => FusedKind.Tile;

    public override void CheckClasses(int classes) => Check.Classes(classes, _distance.Classes, nameof(distance));

    public override ITileKernel<T> TileKernel<T>(int classes) => _distance.Kernel<T>();

    public override Tensor TensorRows(Tensor input, Tensor target, bool logits) =>
        TensorOpsLosses.GroundRows(input, target, _distance, logits);
}
