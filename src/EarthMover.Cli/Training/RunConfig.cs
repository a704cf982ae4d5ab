using System.Text.Json;
using System.Text.Json.Serialization;
using EarthMover.Cli.Data;

namespace EarthMover.Cli.Training;

/// <summary>Everything that defines a run, saved with its checkpoints so that a run can be resumed or evaluated.</summary>
internal sealed record RunConfig(
    DataOptions Data,
    LossSpec Loss,
    TrainOptions Train,
    string DatasetName,
    string[] ClassNames,
    FeatureEncoder Encoder,
    int Outputs,
    int FeatureWidth)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
