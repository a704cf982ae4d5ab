using System.Numerics;

namespace EarthMover.Kernels;

/// <summary>
/// The loss-specific part of a fused CPU kernel: its constants, and the computation on a tile at each vector
/// width (<see cref="ITileKernel{T, TV}"/>, implemented for each <see cref="KernelWidth"/>).
/// </summary>
internal interface ITileKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Number of classes C.</summary>
    int Classes { get; }
}

/// <summary>
/// The loss-specific part of a fused CPU kernel at one vector width. It works on a tile: as many rows as a
/// vector has lanes, stored so that <c>tile[m]</c> holds class m of every row, which makes every step a plain
/// vector operation.
/// </summary>
internal interface ITileKernel<T, TV> : ITileKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TV : unmanaged, ISimd<TV, T>
{
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
    TV Tile(Span<TV> values, TV inverse, Span<TV> scratch, ReadOnlySpan<int> targets, ReadOnlySpan<TV> soft, bool logits, TV gradScale, bool needGrad);
}
