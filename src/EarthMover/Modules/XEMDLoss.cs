namespace EarthMover.Modules;

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
