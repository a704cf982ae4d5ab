using System.Numerics;
using System.Runtime.Intrinsics;

namespace EarthMover.Kernels;

/// <summary>
/// The loss-specific part of a fused CPU kernel: the loss of one row of probabilities, and its gradient.
/// </summary>
internal interface IRowKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Number of classes C.</summary>
    int Classes { get; }

    /// <summary>C rounded up to whole vectors.</summary>
    int Padded { get; }

    /// <summary>Whether the kernel accepts target distributions as well as class indices.</summary>
    bool NeedsSoftTargets { get; }

    /// <summary>
    /// Computes one row. On entry <paramref name="row"/> holds the probabilities p (padded with zeros); when
    /// <paramref name="needGrad"/> is set, on return it holds <paramref name="gradScale"/> · dL/dz when
    /// <paramref name="logits"/> is set (the probabilities came from a softmax here) and
    /// <paramref name="gradScale"/> · dL/dp otherwise.
    /// </summary>
    /// <param name="row">Probabilities in, gradient out.</param>
    /// <param name="scratch">Work space of the same length.</param>
    /// <param name="target">The class index, when <paramref name="soft"/> is empty.</param>
    /// <param name="soft">The padded target distribution, or empty for a class index.</param>
    /// <param name="logits">Whether the gradient is taken through the softmax.</param>
    /// <param name="gradScale">The factor on the gradient (sample weight and reduction).</param>
    /// <param name="needGrad">Whether to compute the gradient at all.</param>
    /// <returns>The loss of the row.</returns>
    T Row(Span<Vector256<T>> row, Span<Vector256<T>> scratch, long target, ReadOnlySpan<Vector256<T>> soft, bool logits, T gradScale, bool needGrad);
}
