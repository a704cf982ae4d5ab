// TorchSharp's own naming at the API boundary: snake_case properties and parameters, as in torch.nn.
#pragma warning disable CA1707


namespace EarthMover.Modules;

/// <summary>
/// What every EarthMover loss module has: what the input holds (settable), the per-class weight (a buffer named
/// "weight", saved and loaded with the module and moved with <c>to(device)</c>), the reduction, and a forward pass
/// with optional per-sample weights. Each loss adds its own options as settable properties, checked when set.
/// </summary>
public abstract class EarthMoverLoss : Loss<Tensor, Tensor, Tensor>
{
    private readonly LossFunction? _function;
    private EmdInput _inputType;

    private protected EarthMoverLoss(EmdInput? inputType, Tensor? weight, Reduction reduction)
        : base(reduction)
    {
        input_type = inputType ?? LossDefaults.Input;
        ClassWeights.Register(this, weight);
    }

    /// <summary>A module with no options of its own: its forward pass is <paramref name="function"/> with the module's input_type, weight and reduction.</summary>
    private protected EarthMoverLoss(LossFunction function, EmdInput? inputType, Tensor? weight, Reduction reduction)
        : this(inputType, weight, reduction)
    {
        _function = function;
    }

    /// <summary>A function of earthmover.nn.functional whose only options are the ones every module has.</summary>
    private protected delegate Tensor LossFunction(Tensor input, Tensor target, EmdInput? input_type, Tensor? weight, Tensor? sample_weight, Reduction reduction);

    /// <summary>What the input holds: logits (the default) or probabilities.</summary>
    public EmdInput input_type
    {
        get => _inputType;
        set => _inputType = Enum.IsDefined(value) ? value : throw new ArgumentException($"input_type = {value} is not an EmdInput value.", nameof(input_type));
    }

    /// <summary>The per-class weights (C), a buffer of the module, or null.</summary>
    public Tensor? weight => ClassWeights.Of(this);

    /// <summary>The loss of <paramref name="input"/> against <paramref name="target"/>.</summary>
    /// <param name="input">N x C logits or probabilities.</param>
    /// <param name="target">N class indices, or N x C distributions where the loss accepts them.</param>
    public override Tensor forward(Tensor input, Tensor target) => forward(input, target, null);

    /// <summary>
    /// The loss with per-sample weights (multiplied with the module's per-class weights, if any). A module with
    /// options of its own overrides it to pass them to its function.
    /// </summary>
    /// <param name="input">N x C logits or probabilities.</param>
    /// <param name="target">N class indices, or N x C distributions where the loss accepts them.</param>
    /// <param name="sample_weight">N per-sample weights, or null.</param>
    public virtual Tensor forward(Tensor input, Tensor target, Tensor? sample_weight) =>
        _function is { } function
            ? function(input, target, input_type, weight, sample_weight, reduction)
            : throw new NotSupportedException($"{GetType().Name} has options of its own and must override forward.");
}
