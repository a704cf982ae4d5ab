using EarthMover.Engine;
using EarthMover.Kernels;

namespace EarthMover;

public static partial class earthmover
{
    public static partial class nn
    {
        /// <summary>The paper's XEMD loss for a weight matrix W (docs/math.md §4); see <see cref="functional.xemd_loss(Tensor, Tensor, XemdWeights, EmdNormalization?, EmdInput?, Tensor?, Tensor?, Reduction)"/>.</summary>
        /// <param name="xemd_weights">The weight matrix W.</param>
        /// <param name="normalization">s = 1/C (the authors' code, default) or 1.</param>
        /// <include file="LossParameters.xml" path="losses/factory/param"/>
        public static Modules.XEMDLoss XEMDLoss(XemdWeights xemd_weights, EmdNormalization? normalization = null, EmdInput? input_type = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
            new(xemd_weights, normalization, input_type, weight, reduction);

        public static partial class functional
        {
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
