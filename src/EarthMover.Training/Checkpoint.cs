using System.Text.Json;
using EarthMover.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Training;

/// <summary>
/// The files a run keeps: checkpoint.bin (the state at the end of the last finished epoch: weights, optimizer,
/// learner, schedule, early-stopping counters and history; what --resume continues from) and model.bin (the
/// weights of the best epoch, with what evaluate and predict need to use them), both written atomically;
/// beside model.bin, schema.json shows the data schema the model was trained with (the copy in model.bin is
/// the one that is read).
/// </summary>
internal static class Checkpoint
{
    public const string ResumeFile = "checkpoint.bin";
    public const string ModelFile = "model.bin";
    public const string SchemaFile = "schema.json";
    private const string Magic = "EARTHMOVER-RUN";
    private const int Version = 2;

    public static void SaveResume(RunFolder folder, RunConfig config, TrainingState state, FeatureClassifier model, optim.Optimizer optimizer, Objective objective) =>
        folder.WriteAtomic(ResumeFile, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            WriteHeader(writer, config, state);
            model.save(writer);
            ((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict(writer);
            writer.Write(objective.Learner is not null);
            objective.Learner?.save(writer);
        });

    public static void SaveModel(RunFolder folder, RunConfig config, TrainingState state, FeatureClassifier model, Objective objective)
    {
        folder.WriteAtomic(ModelFile, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            WriteHeader(writer, config, state);
            model.save(writer);
            writer.Write(objective.Learner is not null);
            objective.Learner?.save(writer);
        });
        folder.WriteText(SchemaFile, JsonSerializer.Serialize(config.Schema, RunConfig.Json));
    }

    /// <summary>Reads the header of a checkpoint or model file: the run's configuration and state.</summary>
    public static (RunConfig Config, TrainingState State) ReadHeader(string path)
    {
        using var reader = Open(path);
        return ReadHeader(reader, path);
    }

    public static TrainingState LoadResume(string path, FeatureClassifier model, optim.Optimizer optimizer, Objective objective)
    {
        using var reader = Open(path);
        var (_, state) = ReadHeader(reader, path);
        model.load(reader);
        ((TorchSharp.Modules.OptimizerHelper)optimizer).load_state_dict(reader);
        if (reader.ReadBoolean())
        {
            objective.Learner!.load(reader);
        }
        return state;
    }

    public static void LoadModel(string path, FeatureClassifier model, Objective? objective)
    {
        using var reader = Open(path);
        ReadHeader(reader, path);
        try
        {
            model.load(reader);
        }
        catch (Exception e) when (e is ArgumentException or EndOfStreamException)
        {
            throw new UserError($"{path}: its weights do not fit the model its header describes ({e.Message.Split('\n')[0].Trim()}); is it damaged, or from another version of earthmover?");
        }
        if (reader.ReadBoolean() && objective?.Learner is { } learner)
        {
            learner.load(reader);
        }
    }

    /// <summary>The bytes after the header: the saved weights (and learner state), to compare two runs.</summary>
    public static byte[] ReadWeights(string path)
    {
        using var reader = Open(path);
        ReadHeader(reader, path);
        using var rest = new MemoryStream();
        reader.BaseStream.CopyTo(rest);
        return rest.ToArray();
    }

    private static void WriteHeader(BinaryWriter writer, RunConfig config, TrainingState state)
    {
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write(JsonSerializer.Serialize(config, RunConfig.Json));
        writer.Write(JsonSerializer.Serialize(state, RunConfig.Json));
    }

    private static BinaryReader Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new UserError($"{path}: no such file.");
        }
        return new BinaryReader(File.OpenRead(path), System.Text.Encoding.UTF8);
    }

    private static (RunConfig, TrainingState) ReadHeader(BinaryReader reader, string path)
    {
        try
        {
            if (reader.ReadString() != Magic)
            {
                throw new UserError($"{path}: not an earthmover run file.");
            }
            int version = reader.ReadInt32();
            if (version != Version)
            {
                throw new UserError($"{path}: written by another version of earthmover (format {version}, this one reads {Version}).");
            }
            var config = JsonSerializer.Deserialize<RunConfig>(reader.ReadString(), RunConfig.Json)!;
            var state = JsonSerializer.Deserialize<TrainingState>(reader.ReadString(), RunConfig.Json)!;
            return (config, state);
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or IOException)
        {
            throw new UserError($"{path}: damaged run file ({e.Message.Split('\n')[0]}).");
        }
    }
}
