// TorchSharp's own naming at the API boundary: lower-case static classes (earthmover.nn.functional) and
// snake_case functions and parameters, as in torch.nn.functional. Everything behind it is ordinary .NET.
#pragma warning disable CS8981, CA1707

using EarthMover.Engine;
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
            /// <summary>The paper's XEMD loss for a weight matrix W (docs/math.md §4); see <see cref="functional.xemd_loss(Tensor, Tensor, XemdWeights, EmdNormalization?, EmdInput?, Tensor?, Tensor?, Reduction)"/>.</summary>
            /// <param name="xemd_weights">The weight matrix W.</param>
            /// <param name="normalization">s = 1/C (the authors' code, default) or 1.</param>
            /// <param name="input_type">Whether the input holds logits (default) or probabilities.</param>
            /// <param name="weight">Optional per-class weights (C), finite and ≥ 0: each sample is weighted by its target class's weight (docs/math.md §7).</param>
            /// <param name="reduction">Mean (divided by the sum of the weights used), Sum or None.</param>
            public static Modules.XEMDLoss XEMDLoss(
                XemdWeights xemd_weights,
                EmdNormalization? normalization = null,
                EmdInput? input_type = null,
                Tensor? weight = null,
                Reduction reduction = Reduction.Mean) =>
                new(xemd_weights, normalization, input_type, weight, reduction);

            public static partial class functional
            {
                /// <summary>
                /// The XEMD loss of the authors' code (docs/math.md §4): for a one-hot target t = e_k,
                /// <c>L = s Σ_i (p_i - t_i)² W_{k,i} = s [(1 - p_k)² + Σ_{i≠k} p_i² W_{k,i}]</c> with s = 1/C (or 1), and W built from a
                /// distance matrix by <see cref="XemdWeights.FromDistance(GroundDistance, XemdPreset)"/>. A squared-probability
                /// surrogate, not the exact EMD; the paper trains it together with cross-entropy (see the training schedule).
                /// </summary>
                /// <param name="input">N x C logits (or probabilities).</param>
                /// <param name="target">N class indices (int64).</param>
                /// <param name="xemd_weights">The weight matrix W, C x C.</param>
                /// <param name="normalization">s = 1/C (<see cref="EmdNormalization.Paper"/>, default) or 1.</param>
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
                    EmdNormalization? normalization = null,
                    EmdInput? input_type = null,
                    Tensor? weight = null,
                    Tensor? sample_weight = null,
                    Reduction reduction = Reduction.Mean) =>
                    LossEngine.Run(new XemdDefinition(xemd_weights, normalization), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);

                /// <summary>
                /// <see cref="xemd_loss(Tensor, Tensor, XemdWeights, EmdNormalization?, EmdInput?, Tensor?, Tensor?, Reduction)"/> with W given
                /// as a tensor, checked on every call.
                /// </summary>
                /// <param name="input">N x C logits (or probabilities).</param>
                /// <param name="target">N class indices (int64).</param>
                /// <param name="xemd_weights">The weight matrix W: C x C, finite.</param>
                /// <param name="normalization">s = 1/C (default) or 1.</param>
                /// <param name="input_type">Logits (default) or probabilities.</param>
                /// <param name="weight">Optional per-class weights (C).</param>
                /// <param name="sample_weight">Optional per-sample weights (N).</param>
                /// <param name="reduction">Mean (default), Sum or None.</param>
                /// <returns>The loss.</returns>
                public static Tensor xemd_loss(
                    Tensor input,
                    Tensor target,
                    Tensor xemd_weights,
                    EmdNormalization? normalization = null,
                    EmdInput? input_type = null,
                    Tensor? weight = null,
                    Tensor? sample_weight = null,
                    Reduction reduction = Reduction.Mean) =>
                    xemd_loss(input, target, XemdWeights.FromMatrix(xemd_weights), normalization, input_type, weight, sample_weight, reduction);
            }
        }
    }

    /// <summary>The XEMD loss (docs/math.md §4): a tile kernel with the rows of W.</summary>
    internal sealed class XemdDefinition : LossDefinition
    {
        private readonly XemdWeights _weights;
        private readonly EmdNormalization _normalization;

        public XemdDefinition(XemdWeights weights, EmdNormalization? normalization)
        {
            ArgumentNullException.ThrowIfNull(weights, "xemd_weights");
            _weights = weights;
            _normalization = Check.Normalization(normalization ?? LossDefaults.Normalization);
        }

        public override string Name => "xemd_loss";

        public override bool AcceptsDistributions => false;

        public override FusedKind Fused => FusedKind.Tile;

        public override void CheckClasses(int classes) => Check.Classes(classes, _weights.Classes, "xemd_weights");

        public override ITileKernel<T> TileKernel<T>(int classes) =>
            _weights.Kernel<T>(_normalization);

        public override Tensor TensorRows(Tensor input, Tensor target, bool logits) =>
            TensorOpsLosses.XemdRows(input, target, _weights, _normalization == EmdNormalization.Paper ? 1.0 / input.size(1) : 1.0, logits);
    }
}

namespace EarthMover.Modules
{
    /// <summary>The paper's XEMD loss as a module: see <see cref="earthmover.nn.functional.xemd_loss(Tensor, Tensor, XemdWeights, EmdNormalization?, EmdInput?, Tensor?, Tensor?, Reduction)"/>.</summary>
    public sealed class XEMDLoss : EarthMoverLoss
    {
        private XemdWeights _weights;
        private EmdNormalization _normalization;

        internal XEMDLoss(XemdWeights weights, EmdNormalization? normalization, EmdInput? inputType, Tensor? weight, Reduction reduction)
            : base(inputType, weight, reduction)
        {
            ArgumentNullException.ThrowIfNull(weights, "xemd_weights");
            _weights = weights;
            this.normalization = normalization ?? LossDefaults.Normalization;
        }

        /// <summary>The weight matrix W; replace it (each epoch, with a learned distance) by assigning a new one.</summary>
        public XemdWeights xemd_weights { get => _weights; set => _weights = value ?? throw new ArgumentNullException(nameof(xemd_weights)); }

        /// <summary>The normalisation s.</summary>
        public EmdNormalization normalization { get => _normalization; set => _normalization = Check.Normalization(value); }

        /// <inheritdoc />
        public override Tensor forward(Tensor input, Tensor target, Tensor? sample_weight) =>
            earthmover.nn.functional.xemd_loss(input, target, xemd_weights, normalization, input_type, weight, sample_weight, reduction);
    }
}
