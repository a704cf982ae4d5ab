// TorchSharp's own naming at the API boundary: lower-case static classes (earthmover.nn.functional) and
// snake_case functions and parameters, as in torch.nn.functional. Everything behind it is ordinary .NET.
#pragma warning disable CS8981, CA1707

using EarthMover.Kernels;
using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover
{
    public static partial class earthmover
    {
        public static partial class nn
        {
            /// <summary>The exact EMD to one-hot targets under a ground distance (SPEC §2); see <see cref="functional.ground_emd_loss(Tensor, Tensor, GroundDistance, EmdInput, Tensor?, Reduction)"/>.</summary>
            /// <param name="distance">The ground distance D between classes.</param>
            /// <param name="input_type">Whether the input holds logits or probabilities.</param>
            /// <param name="reduction">Mean (weighted mean with sample weights), Sum or None.</param>
            public static Modules.GroundEMDLoss GroundEMDLoss(
                GroundDistance distance,
                EmdInput input_type = LossDefaults.Input,
                Reduction reduction = Reduction.Mean) =>
                new(distance, input_type, reduction);

            public static partial class functional
            {
                /// <summary>
                /// The exact Earth Mover's Distance from the prediction p = softmax(input) to a one-hot target e_k
                /// under a ground distance D (SPEC §2): all mass must move to k, so <c>EMD(p, e_k) = Σ_i p_i D_ik</c>.
                /// With D from <see cref="GroundDistance.FromPositions"/> (|x_i - x_j|^w), w = 1 gives W1 and w = 2 gives W2².
                /// Soft targets need a transport solver and are not accepted.
                /// </summary>
                /// <param name="input">N x C logits (or probabilities).</param>
                /// <param name="target">N class indices (int64).</param>
                /// <param name="distance">The ground distance D, C x C.</param>
                /// <param name="input_type">Logits (default) or probabilities.</param>
                /// <param name="weight">Optional per-sample weights (N), finite and ≥ 0; Mean then divides by their sum.</param>
                /// <param name="reduction">Mean (default), Sum or None.</param>
                /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
                /// <exception cref="ArgumentException">A shape or class index is invalid, or D does not match C.</exception>
                public static Tensor ground_emd_loss(
                    Tensor input,
                    Tensor target,
                    GroundDistance distance,
                    EmdInput input_type = LossDefaults.Input,
                    Tensor? weight = null,
                    Reduction reduction = Reduction.Mean) =>
                    GroundEmd.Compute(input, target, distance, input_type, weight, reduction, LossBackend.Auto);

                /// <summary>
                /// <see cref="ground_emd_loss(Tensor, Tensor, GroundDistance, EmdInput, Tensor?, Reduction)"/> with D given as a
                /// tensor, checked on every call; build a <see cref="GroundDistance"/> once to check it once.
                /// </summary>
                /// <param name="input">N x C logits (or probabilities).</param>
                /// <param name="target">N class indices (int64).</param>
                /// <param name="distance">The ground distance D: C x C, finite, ≥ 0, zero diagonal.</param>
                /// <param name="input_type">Logits (default) or probabilities.</param>
                /// <param name="weight">Optional per-sample weights (N).</param>
                /// <param name="reduction">Mean (default), Sum or None.</param>
                /// <returns>The loss.</returns>
                public static Tensor ground_emd_loss(
                    Tensor input,
                    Tensor target,
                    Tensor distance,
                    EmdInput input_type = LossDefaults.Input,
                    Tensor? weight = null,
                    Reduction reduction = Reduction.Mean) =>
                    GroundEmd.Compute(input, target, GroundDistance.FromMatrix(distance), input_type, weight, reduction, LossBackend.Auto);
            }
        }
    }

    /// <summary>The one implementation behind the three forms of the ground-distance EMD loss.</summary>
    internal static class GroundEmd
    {
        public static Tensor Compute(Tensor input, Tensor target, GroundDistance distance, EmdInput inputType, Tensor? weight, Reduction reduction, LossBackend backend)
        {
            ArgumentNullException.ThrowIfNull(distance);
            int classes = Check.Input(input);
            Check.Target(input, target, allowSoft: false);
            Check.SampleWeight(input, weight);
            Check.Classes(classes, distance.Classes, nameof(distance));
            return LossDispatch.Run(
                input,
                target,
                weight,
                reduction,
                inputType,
                backend,
                distance.Kernel<float>,
                distance.Kernel<double>,
                logits => TensorOpsLosses.GroundRows(input, target, distance, logits));
        }
    }
}

namespace EarthMover.Modules
{
    /// <summary>The exact EMD to one-hot targets under a ground distance, as a module: see <see cref="earthmover.nn.functional.ground_emd_loss(Tensor, Tensor, GroundDistance, EmdInput, Tensor?, Reduction)"/>.</summary>
    public sealed class GroundEMDLoss : Loss<Tensor, Tensor, Tensor>
    {
        internal GroundEMDLoss(GroundDistance distance, EmdInput inputType, Reduction reduction)
            : base(reduction)
        {
            ArgumentNullException.ThrowIfNull(distance);
            this.distance = distance;
            input_type = inputType;
        }

        /// <summary>The ground distance D.</summary>
        public GroundDistance distance { get; }

        /// <summary>What the input holds.</summary>
        public EmdInput input_type { get; }

        /// <summary>The loss of <paramref name="input"/> against class indices <paramref name="target"/>.</summary>
        /// <param name="input">N x C logits or probabilities.</param>
        /// <param name="target">N class indices.</param>
        public override Tensor forward(Tensor input, Tensor target) => forward(input, target, null);

        /// <summary>The loss with per-sample weights.</summary>
        /// <param name="input">N x C logits or probabilities.</param>
        /// <param name="target">N class indices.</param>
        /// <param name="weight">N per-sample weights, or null.</param>
        public Tensor forward(Tensor input, Tensor target, Tensor? weight) =>
            earthmover.nn.functional.ground_emd_loss(input, target, distance, input_type, weight, reduction);
    }
}
