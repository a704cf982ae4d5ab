using static TorchSharp.torch;

namespace EarthMover.Training.Methods;

/// <summary>
/// One loss the program trains with, as <see cref="LossMethods.All"/> lists it: its short name for --loss, its
/// parameters, the model head it needs, one line on what it is and the paper it comes from.
/// </summary>
/// <param name="Name">The short name, e.g. "cdw-ce".</param>
/// <param name="Family">The family, e.g. "threshold", "soft labels".</param>
/// <param name="Head">The model's last layer.</param>
/// <param name="Summary">One line: what the loss is.</param>
/// <param name="Paper">The paper (or "-").</param>
internal sealed record LossMethod(string Name, string Family, LossHead Head, string Summary, string Paper)
{
    /// <summary>The parameters given after the name (<c>name:key=value:key=value</c>); none for most losses.</summary>
    public IReadOnlyList<LossParameter> Parameters { get; init; } = [];

    /// <summary>The program options that set this loss (emd2's --exponent, ...), for the losses table; "" if none.</summary>
    public string Options { get; init; } = "";

    /// <summary>
    /// The loss of a batch through the library: (outputs, class indices, the settings, the target shape of a
    /// soft-label loss, built once per run); null for the losses <see cref="Objective"/> builds itself (ce, the EMD
    /// family, regression).
    /// </summary>
    public Func<Tensor, Tensor, LossSpec, SoftLabelShape?, Tensor>? Loss { get; init; }

    /// <summary>The target shape of a soft-label loss (<c>soft_label_ce_loss</c>); null for the others.</summary>
    public Func<LossSpec, SoftLabelShape>? Shape { get; init; }

    /// <summary>Whether the loss is one of the ordinal toolkit's (computed by <see cref="Loss"/>).</summary>
    public bool IsOrdinal => Loss is not null;

    /// <summary>The parameter of this name, or null.</summary>
    public LossParameter? Parameter(string name) => Parameters.FirstOrDefault(p => p.Name == name);
}
