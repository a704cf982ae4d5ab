namespace EarthMover.Training;

/// <summary>
/// Bad input to training or prediction: a missing file, a misspelled column, a label outside the class order,
/// text in a numeric column, a setting out of its range, a damaged run folder. The message is one sentence that
/// names what is wrong (by the earthmover option that sets it, e.g. "--epochs 0: it must be from 1 to 100000.")
/// and, where there is one, the way out.
/// </summary>
public class TrainingException : Exception
{
    /// <summary>An exception without a message.</summary>
    public TrainingException()
    {
    }

    /// <summary>An exception with its message.</summary>
    /// <param name="message">What is wrong, in one sentence.</param>
    public TrainingException(string message)
        : base(message)
    {
    }

    /// <summary>An exception with its message and the exception that caused it.</summary>
    /// <param name="message">What is wrong, in one sentence.</param>
    /// <param name="innerException">The cause.</param>
    public TrainingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
