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

    /// <summary>
    /// The kernel for float32 input: it may take exponentials in single precision where the input's own rounding is
    /// as large (<see cref="SingleExp"/>); the same kernel by default.
    /// </summary>
    IRawRowKernel ForSingle() => this;

    /// <summary>
    /// Rows per block for <see cref="Block"/> (<see cref="RowVectors.BlockLanesFor"/>), or 0 where the kernel goes row
    /// by row. Kernels of logits only: a block is checked finite, not for entries in [0, 1].
    /// </summary>
    int BlockLanes => 0;

    /// <summary>
    /// <see cref="BlockLanes"/> rows at once, class-major (<see cref="RowBlock{T}"/>): their losses and, when
    /// <paramref name="gradient"/> is not empty, dL/dx in the same layout (overwritten). False where a row needs the
    /// exact row-by-row form (logits hundreds apart); the caller then computes the block with <see cref="Row"/>.
    /// A kernel with blocks is a generic class over its block's <see cref="ILanes{TSelf}"/>, the width picked where it
    /// is built (<see cref="RowVectors.BlockLanesFor"/>): its block code is compiled for that width, with no
    /// dispatch (and no generic virtual call) per block.
    /// </summary>
    /// <param name="x">The rows (<see cref="Width"/> x <see cref="BlockLanes"/> entries, checked).</param>
    /// <param name="rowClasses">The rows' target classes, in [0, K).</param>
    /// <param name="gradient">Room for dL/dx, or empty.</param>
    /// <param name="losses">Receives each row's loss.</param>
    bool Block(ReadOnlySpan<double> x, ReadOnlySpan<int> rowClasses, Span<double> gradient, Span<double> losses) => false;
}
