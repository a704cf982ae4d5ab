using System.Numerics;
using EarthMover.Kernels;
using EarthMover.Kernels.Rows;
using static TorchSharp.torch;

namespace EarthMover.Engine;

/// <summary>
/// What only a loss knows: its math and its options, already checked. The engine (<see cref="LossEngine"/>)
/// does everything else for every loss alike: the checks of shapes, types, devices, targets and weights, the
/// choice between the fused CPU kernel and the tensor-operation form, per-sample and per-class weights, the
/// reduction, and second derivatives. A new loss is one subclass, its kernel (if any) and one line in
/// the registry of losses (docs/adding-a-loss.md).
/// </summary>
internal abstract class LossDefinition
{
    /// <summary>The public function's name (<c>squared_emd_loss</c>), used in messages.</summary>
    public abstract string Name { get; }

    /// <summary>Whether target distributions (N x C) are accepted beside class indices.</summary>
    public virtual bool AcceptsDistributions => true;

    /// <summary>
    /// Whether the tensor-operation form differentiates the loss with respect to target distributions. Where it
    /// does not, a target that requires a gradient is refused instead of silently getting none.
    /// </summary>
    public virtual bool DifferentiatesTarget => true;

    /// <summary>Which fused CPU kernel computes the loss, if any.</summary>
    public virtual FusedKind Fused => FusedKind.None;

    /// <summary>Checks the options that depend on the number of classes C (a distance's size); throws naming the option.</summary>
    /// <param name="classes">C, the input's second dimension.</param>
    public virtual void CheckClasses(int classes)
    {
    }

    /// <summary>The tile kernel, where <see cref="Fused"/> is <see cref="FusedKind.Tile"/>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="classes">C.</param>
    public virtual ITileKernel<T> TileKernel<T>(int classes)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        throw new NotSupportedException($"{Name} has no tile kernel.");

    /// <summary>The row kernel, where <see cref="Fused"/> is <see cref="FusedKind.Row"/>.</summary>
    /// <param name="classes">C.</param>
    public virtual IRowKernel RowKernel(int classes) =>
        throw new NotSupportedException($"{Name} has no row kernel.");

    /// <summary>
    /// The per-row losses (N, before weights and reduction) by tensor operations, on the input's device and type,
    /// differentiable by autograd twice over with respect to the input: the engine differentiates this form when a
    /// second derivative is asked for (<c>create_graph: true</c>).
    /// </summary>
    /// <param name="input">N x C logits or probabilities (checked).</param>
    /// <param name="target">N class indices or N x C distributions (checked).</param>
    /// <param name="logits">Whether <paramref name="input"/> holds logits.</param>
    public abstract Tensor TensorRows(Tensor input, Tensor target, bool logits);

    /// <summary>
    /// Whether <see cref="SecondOrderRows"/> differs from <see cref="TensorRows"/>: a loss whose exact second
    /// derivative costs more than its first (Sinkhorn) computes first derivatives with the cheap form and the
    /// engine switches to this one only when a graph of the backward pass is built.
    /// </summary>
    public virtual bool HasSecondOrderForm => false;

    /// <summary>The per-row losses, exact to second order; by default <see cref="TensorRows"/>.</summary>
    /// <param name="input">N x C logits or probabilities.</param>
    /// <param name="target">N class indices or N x C distributions.</param>
    /// <param name="logits">Whether <paramref name="input"/> holds logits.</param>
    public virtual Tensor SecondOrderRows(Tensor input, Tensor target, bool logits) => TensorRows(input, target, logits);
}

/// <summary>Which fused CPU kernel a loss has.</summary>
internal enum FusedKind
{
    /// <summary>None: the tensor-operation form runs everywhere.</summary>
    None,

    /// <summary>A tile kernel (<see cref="ITileKernel{T}"/>): the same vector operations in every row.</summary>
    Tile,

    /// <summary>A row kernel (<see cref="IRowKernel"/>): a solver per row, in double precision.</summary>
    Row,
}
