using System.Text.Json;
using System.Text.Json.Serialization;
using EarthMover.Training.Data;

namespace EarthMover.Training;

/// <summary>Everything that defines a run, saved with its checkpoints so that a run can be resumed or evaluated.</summary>
/// <param name="Data">The data options as given on the command line.</param>
/// <param name="Loss">The loss.</param>
/// <param name="Train">The training options.</param>
/// <param name="DatasetName">The dataset's name in reports.</param>
/// <param name="ClassNames">The classes, lowest first.</param>
/// <param name="Schema">The data by name: files and hash, target and classes, feature columns and their encoding.</param>
/// <param name="Outputs">The model's outputs (C, or 1 for regression).</param>
/// <param name="FeatureWidth">The width of the penultimate features.</param>
internal sealed record RunConfig(
    DataOptions Data,
    LossSpec Loss,
    TrainOptions Train,
    string DatasetName,
    string[] ClassNames,
    DataSchema Schema,
    int Outputs,
    int FeatureWidth)
{
    /// <summary>How features become model inputs.</summary>
    [JsonIgnore]
    public FeatureEncoder Encoder => Schema.Features;

    /// <summary>
    /// The data options to read the run's data again from any folder: the options as given, read from the
    /// absolute paths the run recorded. A file that is no longer there is an error naming the path as given.
    /// </summary>
    public DataOptions DataToReload()
    {
        if (Schema.Files is not { } files)
        {
            return Data;
        }
        if (!files.Exists)
        {
            throw new UserError($"the run's data {files.Path} (given as {files.AsGiven}) is no longer there; score another file with --data.");
        }
        return Data with { SourcePath = files.Path, LabelsPath = files.LabelsPath };
    }

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // "Köln", not "K\u00F6ln": files for people to read

        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
