namespace EarthMover.Kernels.Rows;

/// <summary>
/// A raw-row kernel that also takes float32 rows as they are: single precision, 8 lanes a vector, read from the
/// tensor's row and written into the gradient's, without the double copies of <see cref="IRawRowKernel.Row"/>.
/// float32 logits carry a rounding of 6e-8 themselves; the kernel keeps its own error at that level (exponentials
/// to about 1 ulp, sums that could cancel formed from terms of one sign, logarithms of sums near 1 taken from the
/// part below 1), so a row's loss and gradient agree with the double path to float32 rounding, relatively, also
/// where the loss is tiny. Rows of 8 entries or more; the driver (<see cref="RawRowLoss{T}"/>) checks them finite.
/// </summary>
internal interface ISingleRowKernel
{
    /// <summary>Whether float32 rows go through <see cref="TryRowSingle"/> on this processor (AVX2 and wide enough rows).</summary>
    bool HasSingleRows { get; }

    /// <summary>
    /// The loss of a float32 row and, when <paramref name="gradient"/> is not empty, <paramref name="scale"/> · dL/dx
    /// (overwritten); false where the row needs the double path (<see cref="IRawRowKernel.Row"/>: logits so far apart
    /// that a float32 exponential underflows where the loss needs it), which the driver then takes.
    /// </summary>
    /// <param name="x">The row (<see cref="IRawRowKernel.Width"/> finite entries).</param>
    /// <param name="target">The target class, in [0, K).</param>
    /// <param name="gradient">The row of the gradient tensor, or empty.</param>
    /// <param name="scale">The row's weight times the reduction's factor.</param>
    /// <param name="loss">The row's loss (unweighted).</param>
    bool TryRowSingle(ReadOnlySpan<float> x, int target, Span<float> gradient, float scale, out double loss);
}
