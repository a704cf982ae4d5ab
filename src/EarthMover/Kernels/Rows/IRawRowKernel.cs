namespace EarthMover.Kernels.Rows;

/// <summary>
/// The loss-specific part of a raw-row CPU kernel: the loss of one input row as it stands (K - 1 threshold
/// logits, or K logits on which the loss does its own softmax algebra) and its gradient dL/dz, in double precision
/// whatever the tensors hold. Driven by <see cref="RawRowLoss{T}"/> (threads, weights, reduction). Called from
/// several threads at once: the kernel keeps no per-call state outside its arguments, except thread-static buffers.
/// </summary>
internal interface IRawRowKernel
{
    /// <summary>The input width: K (the default), or K - 1 for a threshold model.</summary>
    int Width => Classes;

    /// <summary>The number of classes K (target indices are checked against it).</summary>
    int Classes { get; }

    /// <summary>Rough work per row, in units of a simple operation on one entry, to split a batch over threads.</summary>
    long RowCost { get; }

    /// <summary>Whether entries are probabilities in [0, 1] (checked as such) rather than logits (checked finite, the default).</summary>
    bool EntriesInUnitInterval => false;

    /// <summary>The number of terms a sample of class <paramref name="target"/> adds to the mean's denominator (1 but for CORN).</summary>
    /// <param name="target">The class, in [0, K).</param>
    double MeanCount(int target) => 1.0;

    /// <summary>The loss of one row and, when <paramref name="gradient"/> is not empty, dL/dx (overwritten).</summary>
    /// <param name="x">The input row (<see cref="Width"/> entries, checked).</param>
    /// <param name="target">The target class, in [0, K).</param>
    /// <param name="gradient"><see cref="Width"/> entries to receive dL/dx, or empty.</param>
    double Row(ReadOnlySpan<double> x, int target, Span<double> gradient);
}
