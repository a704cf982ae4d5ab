using System.Numerics;
using EarthMover.Kernels;
using EarthMover.Kernels.Rows;

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

    /// <summary>
    /// The definition that computes this loss when the targets are class indices, where a cheaper one gives the
    /// same values and gradients (the transport cost to a point mass is the expected ground distance, so EMD and
    /// W_p^p to a class are the ground-distance loss's tile kernel instead of a solver per row); this one otherwise.
    /// Called after every check, so the messages of the checks name this loss.
    /// </summary>
    /// <param name="logits">Whether the input holds logits (through the softmax a gradient is defined only up to a constant, which the softmax removes).</param>
    public virtual LossDefinition ForClassIndices(bool logits) => this;

    /// <summary>
    /// The number of classes K for an input of <paramref name="inputWidth"/> columns: the width itself for a loss
    /// on K class scores, the width + 1 for a threshold model (K - 1 outputs: CORAL, CORN, logistic all-threshold,
    /// ordinal ECOC). Targets, class weights and target distributions are checked against K.
    /// </summary>
    /// <param name="inputWidth">The input's second dimension.</param>
    public virtual int ClassesOf(int inputWidth) => inputWidth;

    /// <summary>The input width for K classes, the inverse of <see cref="ClassesOf"/>.</summary>
    /// <param name="classes">K.</param>
    public virtual int InputWidth(int classes) => classes;

    /// <summary>
    /// Whether the input may hold probabilities (<c>input_type: Probabilities</c>). A loss on raw scores (the
    /// thresholds of CORAL, CORN, logistic all-threshold) refuses them with an error naming input_type.
    /// </summary>
    public virtual bool AcceptsProbabilities => true;

    /// <summary>
    /// Whether probabilities are read entry by entry, each in [0, 1] (the K - 1 sigmoid outputs of ordinal ECOC),
    /// rather than as rows summing to 1.
    /// </summary>
    public virtual bool ProbabilitiesPerEntry => false;

    /// <summary>
    /// Whether the loss is a batch-level quantity rather than a weighted sum of per-sample losses (QWK, a ratio of
    /// two sums over the batch; MCE, per-class means). Such a loss computes its result in
    /// <see cref="BatchLoss"/>, defines its own reductions (<see cref="CheckReduction"/>) and weights, and always
    /// runs as tensor operations (autograd gives its first and second derivatives).
    /// </summary>
    public virtual bool BatchLevel => false;

    /// <summary>Refuses a reduction the loss does not define (batch-level losses), naming reduction.</summary>
    /// <param name="reduction">The reduction asked for.</param>
    public virtual void CheckReduction(nn.Reduction reduction)
    {
    }

    /// <summary>The result of a batch-level loss (<see cref="BatchLevel"/>), by tensor operations; inputs checked, N &gt; 0.</summary>
    /// <param name="input">N x C logits or probabilities.</param>
    /// <param name="target">N class indices.</param>
    /// <param name="weight">Per-class weights (K), or null.</param>
    /// <param name="sampleWeight">Per-sample weights (N), or null.</param>
    /// <param name="reduction">The reduction, checked by <see cref="CheckReduction"/>.</param>
    /// <param name="logits">Whether <paramref name="input"/> holds logits.</param>
    public virtual Tensor BatchLoss(Tensor input, Tensor target, Tensor? weight, Tensor? sampleWeight, nn.Reduction reduction, bool logits) =>
        throw new NotSupportedException($"{Name} is not a batch-level loss.");

    /// <summary>
    /// The terms of a batch-level loss on the softmax of logits that the CPU's two-pass kernel computes
    /// (<see cref="FusedKind.Batch"/>; QWK, MCE, MCE + QWK), or null where it does not apply to this reduction.
    /// </summary>
    /// <param name="classes">K.</param>
    /// <param name="reduction">The reduction, checked.</param>
    public virtual Losses.Ordinal.BatchTerms? BatchTerms(int classes, nn.Reduction reduction) => null;

    /// <summary>
    /// The number of terms each sample adds to the denominator of the weighted mean, or null for 1: the mean is
    /// Σ v_i L_i / Σ v_i n_i. CORN's mean is over (sample, task) pairs, n_i = min(y_i + 1, K - 1).
    /// </summary>
    /// <param name="target">N class indices (checked).</param>
    /// <param name="classes">K.</param>
    /// <param name="dtype">The type of the counts.</param>
    public virtual Tensor? MeanCounts(Tensor target, int classes, ScalarType dtype) => null;

    /// <summary>
    /// The raw-row kernel (<see cref="FusedKind.RawRow"/>) for K classes and the given input type, or null where the
    /// kernel does not handle that input type (the tensor operations run instead).
    /// </summary>
    /// <param name="classes">K.</param>
    /// <param name="logits">Whether the input holds logits.</param>
    public virtual IRawRowKernel? RawRowKernel(int classes, bool logits) => null;

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

    /// <summary>
    /// A raw-row kernel (<see cref="IRawRowKernel"/>): the loss and dL/dz of one input row as it stands (no softmax
    /// by the driver), in double precision: threshold models and losses with their own softmax algebra.
    /// </summary>
    RawRow,

    /// <summary>
    /// A batch-level kernel (<see cref="LossDefinition.BatchTerms"/>): two passes over the rows, the batch's sums
    /// between them, for a loss that is not a sum of per-sample losses.
    /// </summary>
    Batch,
}
