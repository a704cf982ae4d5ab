namespace EarthMover.Training;

/// <summary>
/// A problem with what the user gave (a file, a column, a value): reported as one line on stderr with a
/// non-zero exit code, never as a stack trace.
/// </summary>
internal sealed class UserError(string message) : TrainingException(message)
{
}
