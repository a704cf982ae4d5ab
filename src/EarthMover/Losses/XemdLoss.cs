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
            /// <summary>The paper's XEMD loss for a weight matrix W (SPEC §3); see <see cref="functional.xemd_loss"/>.</summary>
            /// <param name="xemd_weights">The weight matrix W.</param>
            /// <param name="input_type">Whether the input holds logits or probabilities.</param>
            /// <param name="reduction">Mean (weighted mean with sample weights), Sum or None.</param>
            public static Modules.XEMDLoss XEMDLoss(
                XemdWeights xemd_weights,
                EmdInput input_type = LossDefaults.Input,
                Reduction reduction = Reduction.Mean) =>
                new(xemd_weights, input_type, reduction);

            public static partial class functional
            {
                /// <summary>
                /// The XEMD loss of the authors' code (SPEC §3): for a one-hot target t = e_k,
                /// <c>L = (1/C) Σ_i (p_i - t_i)² W_{k,i} = (1/C) [(1 - p_k)² + Σ_{i≠k} p_i² W_{k,i}]</c>, with W built from a
                /// distance matrix by <see cref="XemdWeights.FromDistance(GroundDistance, XemdPreset)"/>. A squared-probability
                /// surrogate, not the exact EMD; the paper trains it together with cross-entropy (see the training schedule).
                /// </summary>
                /// <param name="input">N x C logits (or probabilities).</param>
                /// <param name="target">N class indices (int64).</param>
                /// <param name="xemd_weights">The weight matrix W, C x C.</param>
                /// <param name="input_type">Logits (default) or probabilities.</param>
                /// <param name="weight">Optional per-sample weights (N), finite and ≥ 0; Mean then divides by their sum.</param>
                /// <param name="reduction">Mean (default), Sum or None.</param>
                /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
                /// <exception cref="ArgumentException">A shape or class index is invalid, or W does not match C.</exception>
                public static Tensor xemd_loss(
                    Tensor input,
                    Tensor target,
                    XemdWeights xemd_weights,
                    EmdInput input_type = LossDefaults.Input,
                    Tensor? weight = null,
                    Reduction reduction = Reduction.Mean) =>
                    Xemd.Compute(input, target, xemd_weights, input_type, weight, reduction, LossBackend.Auto);
            }
        }
    }

    /// <summary>The one implementation behind the three forms of the XEMD loss.</summary>
    internal static class Xemd
    {
        public static Tensor Compute(Tensor input, Tensor target, XemdWeights weights, EmdInput inputType, Tensor? weight, Reduction reduction, LossBackend backend)
        {
            ArgumentNullException.ThrowIfNull(weights, "xemd_weights");
            int classes = Check.Input(input);
            Check.Target(input, target, allowSoft: false);
            Check.SampleWeight(input, weight);
            Check.Classes(classes, weights.Classes, "xemd_weights");
            return LossDispatch.Run(
                input,
                target,
                weight,
                reduction,
                inputType,
                backend,
                weights.Kernel<float>,
                weights.Kernel<double>,
                logits => TensorOpsLosses.XemdRows(input, target, weights, logits));
        }
    }
}

namespace EarthMover.Modules
{
    /// <summary>The paper's XEMD loss as a module: see <see cref="earthmover.nn.functional.xemd_loss"/>.</summary>
    public sealed class XEMDLoss : Loss<Tensor, Tensor, Tensor>
    {
        internal XEMDLoss(XemdWeights weights, EmdInput inputType, Reduction reduction)
            : base(reduction)
        {
            ArgumentNullException.ThrowIfNull(weights, "xemd_weights");
            xemd_weights = weights;
            input_type = inputType;
        }

        /// <summary>The weight matrix W; replace it (each epoch, with a learned distance) by assigning a new one.</summary>
        public XemdWeights xemd_weights { get; set; }

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
            earthmover.nn.functional.xemd_loss(input, target, xemd_weights, input_type, weight, reduction);
    }
}
