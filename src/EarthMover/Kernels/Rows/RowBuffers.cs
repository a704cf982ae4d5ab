namespace EarthMover.Kernels.Rows;

/// <summary>
/// Each thread's two rows of work space for the row drivers (<see cref="RowLoss{T}"/>, <see cref="RawRowLoss{T}"/>):
/// a row of values in double precision and its gradient, kept between calls so that a training step allocates
/// nothing here. A worker holds them for one range of rows at a time.
/// </summary>
internal sealed class RowBuffers
{
    [ThreadStatic]
    private static RowBuffers? _current;

    private RowBuffers(int width)
    {
        Values = new double[width];
        Gradient = new double[width];
    }

    /// <summary>The row being computed (probabilities, or the input row as it stands).</summary>
    public double[] Values { get; }

    /// <summary>Its gradient.</summary>
    public double[] Gradient { get; }

    /// <summary>This thread's buffers, at least <paramref name="width"/> long.</summary>
    /// <param name="width">The row width.</param>
    public static RowBuffers ForThisThread(int width)
    {
        var current = _current;
        if (current is null || current.Values.Length < width)
        {
            current = new RowBuffers(width);
            _current = current;
        }
        return current;
    }
}
