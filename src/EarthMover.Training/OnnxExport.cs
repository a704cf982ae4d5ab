using System.Globalization;
using System.Reflection;
using System.Text.Json;
using EarthMover.Training.Onnx;
using Google.Protobuf;
using Onnx;

namespace EarthMover.Training;

/// <summary>
/// Writes a trained run as one ONNX model that holds the network and its preprocessing, so that scoring needs
/// only ONNX Runtime (or ML.NET's ApplyOnnxModel): no TorchSharp, no libtorch, no side file.
/// </summary>
/// <remarks>
/// <para>
/// <b>Inputs</b>, matched by name: one per feature column of the run (<see cref="TrainedRun.Features"/>), each
/// N x 1 and named as the column: <c>tensor(double)</c> for a numeric column (NaN for a missing value, which
/// takes the training mean), <c>tensor(string)</c> for a categorical one (<c>""</c> or <c>"NA"</c> for a missing
/// value; cells as the CSV reader reads them, trimmed; a level training never saw encodes as no level). Image
/// runs have one input, <see cref="PixelsInput"/>: <c>tensor(uint8)</c>, N x 784 grey pixels, row by row.
/// The graph standardises numbers with the training mean and standard deviation (in double, as training did),
/// one-hot encodes or embeds categories with the training levels, and imputes as <see cref="TrainedRun.Predict"/> does.
/// </para>
/// <para>
/// <b>Outputs</b>: <see cref="ProbabilitiesOutput"/> (<c>tensor(float)</c>, N x C, the predicted distribution over
/// <see cref="TrainedRun.Classes"/>, lowest class first), <see cref="IndexOutput"/> (<c>tensor(int64)</c>, N, the
/// class chosen by the decoder) and <see cref="LabelOutput"/> (<c>tensor(string)</c>, N, its name).
/// </para>
/// <para>
/// <b>Metadata</b> (ONNX metadata_props): <c>earthmover.classes</c> (JSON array of class names),
/// <c>earthmover.features</c> (JSON array of the input columns in the training file's order),
/// <c>earthmover.target</c>, <c>earthmover.decoder</c> (argmax, median, expectation, or "own rule" for coral, corn,
/// logistic-at and ecoc, whose class is their own prediction rule), <c>earthmover.loss</c>. Threshold and code
/// heads (coral, corn, logistic-at, ecoc) turn their C - 1 outputs into the distribution inside the graph, as the
/// library's <c>earthmover.ordinal.*_probabilities</c> do.
/// </para>
/// <para>ONNX opset 17 with ai.onnx.ml 3 (LabelEncoder): ONNX Runtime 1.12 or later.</para>
/// </remarks>
/// <example>
/// <code>
/// using var run = TrainedRun.Load("runs/hpc");
/// OnnxExport.Write(run, "hpc.onnx");
/// </code>
/// </example>
public static class OnnxExport
{
    /// <summary>The output with the predicted distributions, N x C floats.</summary>
    public const string ProbabilitiesOutput = "probabilities";

    /// <summary>The output with the decoded class index of each row, N int64.</summary>
    public const string IndexOutput = "predicted_index";

    /// <summary>The output with the decoded class name of each row, N strings.</summary>
    public const string LabelOutput = "predicted_label";

    /// <summary>The input of image runs: N x 784 grey pixels (uint8).</summary>
    public const string PixelsInput = "pixels";

    private static readonly string[] Outputs = [ProbabilitiesOutput, IndexOutput, LabelOutput];

    /// <summary>Writes the run as an ONNX model to <paramref name="path"/>, through a temporary file and a rename (never a half-written file).</summary>
    /// <param name="run">The trained run.</param>
    /// <param name="path">The .onnx file.</param>
    /// <param name="decoder">The decoder of <see cref="IndexOutput"/> and <see cref="LabelOutput"/>; default the run's.</param>
    /// <param name="overwrite">Whether to replace an existing file.</param>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false, or it cannot be written.</exception>
    /// <exception cref="TrainingException">A feature column has the name of an output.</exception>
    public static void Write(TrainedRun run, string path, OrdinalDecoder? decoder = null, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(path);
        string full = Path.GetFullPath(path);
        if (!overwrite && File.Exists(full))
        {
            throw new IOException($"{path} exists; not replacing it.");
        }
        var bytes = ToBytes(run, decoder);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>The run as an ONNX model (the bytes of an .onnx file), for <c>new InferenceSession(bytes)</c>.</summary>
    /// <param name="run">The trained run.</param>
    /// <param name="decoder">The decoder of <see cref="IndexOutput"/> and <see cref="LabelOutput"/>; default the run's (for coral, corn, logistic-at and ecoc: the method's own rule).</param>
    /// <exception cref="TrainingException">A feature column has the name of an output.</exception>
    public static byte[] ToBytes(TrainedRun run, OrdinalDecoder? decoder = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Model(run, decoder).ToByteArray();
    }

    // decoder null: the run's own rule if its method has one, else the run's decoder.
    internal static ModelProto Model(TrainedRun run, OrdinalDecoder? chosen)
    {
        var decoder = chosen ?? run.Decoder;
        var config = run.Config;
        if (run.Features.FirstOrDefault(Outputs.Contains) is { } clash)
        {
            throw new UserError($"the feature column '{clash}' has the name of an output of the exported model ({string.Join(", ", Outputs)}); rename the column and train again.");
        }
        int classes = config.ClassNames.Length;
        var graph = new OnnxGraph();
        var input = OnnxPreprocessing.Build(graph, config.Encoder);
        var outputs = run.Model.ToOnnx(graph, input);
        var head = OnnxHead.For(config.Loss);
        var probabilities = head.Probabilities(graph, outputs, classes);
        var own = chosen is null ? head.Classes(graph, outputs, probabilities) : null;
        string rule = own is null ? $"the {decoder.ToString().ToLowerInvariant()} decoder" : $"{config.Loss.Name}'s own rule, {Methods.LossHeads.Rule(config.Loss.Head)}";
        var index = own ?? OnnxDecoding.ClassIndex(graph, probabilities, classes, decoder);
        var label = graph.Node("Gather", [graph.Constant(config.ClassNames, classes), index], [OnnxGraph.Int("axis", 0)]);
        graph.Output(ProbabilitiesOutput, probabilities, TensorProto.Types.DataType.Float, [classes], $"the predicted distribution over the classes {string.Join(" < ", config.ClassNames)}");
        graph.Output(IndexOutput, index, TensorProto.Types.DataType.Int64, [], $"the class index chosen by {rule}");
        graph.Output(LabelOutput, label, TensorProto.Types.DataType.String, [], "the name of that class");

        var model = new ModelProto
        {
            IrVersion = OnnxGraph.IrVersion,
            ProducerName = "EarthMover",
            ProducerVersion = typeof(OnnxExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "",
            DocString = $"{config.DatasetName}: {config.Loss.Describe()}, best epoch of an earthmover run; see OnnxExport in EarthMover.Training for the inputs and outputs.",
            Graph = graph.Proto,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxGraph.Opset });
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = OnnxGraph.MlDomain, Version = OnnxGraph.MlOpset });
        Metadata(model, "earthmover.classes", JsonSerializer.Serialize(config.ClassNames));
        Metadata(model, "earthmover.features", JsonSerializer.Serialize(run.IsImage ? [PixelsInput] : run.Features));
        Metadata(model, "earthmover.target", run.Target ?? "");
        Metadata(model, "earthmover.decoder", own is null ? decoder.ToString().ToLowerInvariant() : "own rule");
        Metadata(model, "earthmover.loss", config.Loss.Describe());
        return model;
    }

    private static void Metadata(ModelProto model, string key, string value) =>
        model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
}
