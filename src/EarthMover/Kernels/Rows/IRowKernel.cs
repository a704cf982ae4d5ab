namespace EarthMover.Kernels.Rows;

/// <summary>
/// The loss-specific part of a row-at-a-time CPU kernel, for losses whose work per row is not the same
/// sequence of vector operations in every row (a transport solver, a merge of two CDFs), so that the tiles of
/// <see cref="ITileKernel{T}"/> do not apply. It works in double precision whatever the tensors hold, and is
/// called from several threads at once: per-thread work space lives in the kernel's thread-static fields.
/// </summary>
internal interface IRowKernel
{
    /// <summary>Number of classes C.</summary>
    int Classes { get; }

    /// <summary>Whether the kernel accepts target distributions as well as class indices.</summary>
    bool AcceptsSoftTargets { get; }

    /// <summary>Rough work per row, in units of a simple operation on one class, to split a batch over threads.</summary>
    long RowCost { get; }

    /// <summary>
    /// The loss of one row and, when <paramref name="gradient"/> is not empty, its gradient dL/dp up to an
    /// added constant (the driver centres it, or takes it through the softmax, where constants vanish).
    /// </summary>
    /// <param name="p">The predicted distribution: C entries ≥ 0 summing to 1 within the distribution tolerance.</param>
    /// <param name="target">The target distribution (C entries), or empty when <paramref name="targetIndex"/> gives a class.</param>
    /// <param name="targetIndex">The target class when <paramref name="target"/> is empty.</param>
    /// <param name="gradient">C entries to receive dL/dp, or empty.</param>
    double Row(ReadOnlySpan<double> p, ReadOnlySpan<double> target, int targetIndex, Span<double> gradient);
}
