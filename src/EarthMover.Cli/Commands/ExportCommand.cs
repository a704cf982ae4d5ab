using System.CommandLine;
using System.Globalization;

namespace EarthMover.Cli.Commands;

/// <summary>earthmover export: a trained run as one ONNX model with its preprocessing, for scoring with ONNX Runtime or ML.NET without libtorch.</summary>
internal static class ExportCommand
{
    public static Command Create(CommandOptions o, TextWriter output)
    {
        var run = new Argument<string>("run") { Description = "The run folder of a trained model (it holds model.bin)." };
        var onnx = new Option<string>("--onnx") { Description = "The ONNX file to write (e.g. model.onnx): the network and its preprocessing; inputs are the feature columns by name.", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace the ONNX file if it exists." };
        var command = new Command("export", "Write a trained run as an ONNX model that takes the raw feature columns by name (standardisation, one-hot encoding and imputation inside) and gives the class distribution and the predicted class; score it with ONNX Runtime or ML.NET, no libtorch needed.");
        command.Arguments.Add(run);
        command.Options.Add(onnx);
        command.Options.Add(force);
        command.Options.Add(o.PredictDecoder);
        command.SetAction((result, cancel) => CliApp.Guard(() =>
        {
            string path = result.GetValue(onnx)!;
            string full = Target(path, result.GetValue(force));
            using var trained = TrainedRun.Open(result.GetValue(run)!, "RUN");
            if (string.Equals(Path.GetDirectoryName(full), trained.Folder, StringComparison.Ordinal) && Path.GetFileName(full) is "model.bin" or "checkpoint.bin")
            {
                throw new UserError($"--onnx {path}: that is the run's own {Path.GetFileName(full)}; choose another file.");
            }
            // coral, corn, logistic-at and ecoc: their own rule unless --decoder asks for a decoder of the distribution.
            var given = o.ReadPredictDecoder(result);
            var decoder = given ?? trained.Decoder;
            string chosen = given is null && trained.HasOwnRule ? $"{trained.Config.Loss.Name}'s own rule" : decoder.ToString().ToLowerInvariant();
            cancel.ThrowIfCancellationRequested();
            try
            {
                OnnxExport.Write(trained, full, given, overwrite: result.GetValue(force));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UserError($"--onnx {path}: cannot write it ({e.Message.Split('\n')[0].Trim()}).");
            }
            string inputs = trained.IsImage
                ? $"'{OnnxExport.PixelsInput}' (N x 784 uint8)"
                : $"{trained.Features.Count} columns by name ({string.Join(", ", trained.Features)})";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {path} ({new FileInfo(full).Length / 1024.0:F0} KiB): inputs {inputs}; outputs {OnnxExport.ProbabilitiesOutput} (N x {trained.Classes.Count}: {string.Join(", ", trained.Classes)}), {OnnxExport.IndexOutput}, {OnnxExport.LabelOutput} ({chosen})"));
            return 0;
        }));
        return command;
    }

    // The file to write, checked before the run is loaded: its folder exists, it is not a folder, and it is new unless --force.
    private static string Target(string path, bool force)
    {
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new UserError($"--onnx {path}: not a usable file name ({e.Message.Split('\n')[0].Trim()}).");
        }
        if (Directory.Exists(full))
        {
            throw new UserError($"--onnx {path}: that is a folder; name the file to write, e.g. {Path.Combine(path, "model.onnx")}.");
        }
        if (Path.GetDirectoryName(full) is { } folder && !Directory.Exists(folder))
        {
            throw new UserError($"--onnx {path}: the folder {folder} does not exist.");
        }
        if (File.Exists(full) && !force)
        {
            throw new UserError($"--onnx {path}: the file exists; pass --force to replace it.");
        }
        return full;
    }
}
