using System.Numerics;
using System.Runtime.Intrinsics;

namespace EarthMover.Kernels;

/// <summary>
/// The loss-specific part of a fused CPU kernel. It works on a tile: as many rows as a vector has lanes,
/// stored so that <c>tile[m]</c> holds class m of every row, which makes every step a plain vector operation.
/// </summary>
internal interface ITileKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Number of classes C.</summary>
    int Classes { get; }

    /// <summary>Whether the kernel accepts target distributions as well as class indices.</summary>
    bool AcceptsSoftTargets { get; }

    /// <summary>
    /// Computes the loss of every row of the tile, whose probabilities are p = values · inverse. When
    /// <paramref name="needGrad"/> is set, on return <paramref name="values"/> holds gradScale · dL/dz when
    /// <paramref name="logits"/> is set (p came from a softmax here), and gradScale · dL/dp otherwise.
    /// </summary>
    /// <param name="values">C vectors: unnormalised probabilities in, gradient out.</param>
    /// <param name="inverse">Each lane's normalising factor (1 for probabilities given as input).</param>
    /// <param name="scratch">C vectors of work space.</param>
    /// <param name="targets">Each lane's class index, when <paramref name="soft"/> is empty.</param>
    /// <param name="soft">C vectors of target distributions, or empty for class indices.</param>
    /// <param name="logits">Whether the gradient is taken through the softmax.</param>
    /// <param name="gradScale">Each lane's factor on the gradient (sample weight and reduction).</param>
    /// <param name="needGrad">Whether to compute the gradient at all.</param>
    /// <returns>Each lane's loss.</returns>
    Vector256<T> Tile(Span<Vector256<T>> values, Vector256<T> inverse, Span<Vector256<T>> scratch, ReadOnlySpan<int> targets, ReadOnlySpan<Vector256<T>> soft, bool logits, Vector256<T> gradScale, bool needGrad);
}
