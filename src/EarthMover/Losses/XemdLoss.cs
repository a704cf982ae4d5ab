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
            /// <summary>The paper's XEMD loss for a weight matrix W (docs/math.md §4); see <see cref="functional.xemd_loss"/>.</summary>
            /// <param name="xemd_weights">The weight matrix W.</param>
            /// <param name="input_type">Whether the input holds logits or probabilities.</param>
            /// <param name="weight">Optional per-class weights (C), finite and ≥ 0: each sample is weighted by its target class's weight (docs/math.md §7).</param>
            /// <param name="reduction">Mean (divided by the sum of the weights used), Sum or None.</param>
            public static Modules.XEMDLoss XEMDLoss(
                XemdWeights xemd_weights,
                EmdInput input_type = LossDefaults.Input,
                Tensor? weight = null,
                Reduction reduction = Reduction.Mean) =>
                new(xemd_weights, input_type, weight, reduction);

            public static partial class functional
            {
                /// <summary>
                /// The XEMD loss of the authors' code (docs/math.md §4): for a one-hot target t = e_k,
                /// <c>L = (1/C) Σ_i (p_i - t_i)² W_{k,i} = (1/C) [(1 - p_k)² + Σ_{i≠k} p_i² W_{k,i}]</c>, with W built from a
                /// distance matrix by <see cref="XemdWeights.FromDistance(GroundDistance, XemdPreset)"/>. A squared-probability
                /// surrogate, not the exact EMD; the paper trains it together with cross-entropy (see the training schedule).
                /// </summary>
                /// <param name="input">N x C logits (or probabilities).</param>
                /// <param name="target">N class indices (int64).</param>
                /// <param name="xemd_weights">The weight matrix W, C x C.</param>
                /// <param name="input_type">Logits (default) or probabilities.</param>
                /// <param name="weight">Optional per-class weights (C), finite and ≥ 0: sample i is weighted by weight[target_i], as in <c>cross_entropy</c> (docs/math.md §7).</param>
                /// <param name="sample_weight">Optional per-sample weights (N), finite and ≥ 0; multiplied with the class weights when both are given.</param>
                /// <param name="reduction">Mean (default: Σ v_i L_i / Σ v_i with v the weights used), Sum or None. An empty batch gives 0 (Sum) or an empty tensor (None); its Mean is refused.</param>
                /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
                /// <exception cref="ArgumentException">A shape or class index is invalid, or W does not match C.</exception>
                public static Tensor xemd_loss(
                    Tensor input,
                    Tensor target,
                    XemdWeights xemd_weights,
                    EmdInput input_type = LossDefaults.Input,
                    Tensor? weight = null,
                    Tensor? sample_weight = null,
                    Reduction reduction = Reduction.Mean) =>
                    Xemd.Compute(input, target, xemd_weights, input_type, sample_weight, reduction, LossBackend.Auto, weight);
            }
        }
    }

    /// <summary>The one implementation behind the three forms of the XEMD loss.</summary>
    internal static class Xemd
    {
        public static Tensor Compute(Tensor input, Tensor target, XemdWeights weights, EmdInput inputType, Tensor? sampleWeight, Reduction reduction, LossBackend backend, Tensor? classWeight = null)
        {
            ArgumentNullException.ThrowIfNull(weights, "xemd_weights");
            int classes = Check.Input(input);
            Check.Target(input, target, allowSoft: false);
            Check.SampleWeight(input, sampleWeight);
            Check.ClassWeight(input, target, classWeight);
            Check.Classes(classes, weights.Classes, "xemd_weights");
            return LossDispatch.Run(
                input,
                target,
                sampleWeight,
                reduction,
                inputType,
                backend,
                weights.Kernel<float>,
                weights.Kernel<double>,
                logits => TensorOpsLosses.XemdRows(input, target, weights, logits),
                classWeight);
        }
    }
}

namespace EarthMover.Modules
{
    /// <summary>The paper's XEMD loss as a module: see <see cref="earthmover.nn.functional.xemd_loss"/>.</summary>
    public sealed class XEMDLoss : Loss<Tensor, Tensor, Tensor>
    {
        [TorchSharp.Utils.ComponentName(Name = "weight")]
        private Tensor? _weight;

        internal XEMDLoss(XemdWeights weights, EmdInput inputType, Tensor? weight, Reduction reduction)
            : base(reduction)
        {
            ArgumentNullException.ThrowIfNull(weights, "xemd_weights");
            xemd_weights = weights;
            input_type = inputType;
            _weight = ClassWeights.Register(this, weight);
        }

        /// <summary>The weight matrix W; replace it (each epoch, with a learned distance) by assigning a new one.</summary>
        public XemdWeights xemd_weights { get; set; }

        /// <summary>What the input holds.</summary>
        public EmdInput input_type { get; }

        /// <summary>The per-class weights (a buffer, saved with the module), or null.</summary>
        public Tensor? weight => _weight;

        /// <summary>The loss of <paramref name="input"/> against class indices <paramref name="target"/>.</summary>
        /// <param name="input">N x C logits or probabilities.</param>
        /// <param name="target">N class indices.</param>
        public override Tensor forward(Tensor input, Tensor target) => forward(input, target, null);

        /// <summary>The loss with per-sample weights (multiplied with the module's per-class weights, if any).</summary>
        /// <param name="input">N x C logits or probabilities.</param>
        /// <param name="target">N class indices.</param>
        /// <param name="sample_weight">N per-sample weights, or null.</param>
        public Tensor forward(Tensor input, Tensor target, Tensor? sample_weight) =>
            earthmover.nn.functional.xemd_loss(input, target, xemd_weights, input_type, _weight, sample_weight, reduction);
    }
}
