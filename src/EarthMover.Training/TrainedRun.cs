using System.Globalization;
using EarthMover.Training.Data;
using EarthMover.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Training;

/// <summary>
/// A run folder written by <c>earthmover train</c> or a <see cref="Trainer"/>, loaded to predict from C#: the best epoch's model with the
/// data schema it was trained with, so that rows are matched to the model's feature columns by name.
/// </summary>
/// <example>
/// <code>
/// using var run = TrainedRun.Load("runs/hpc");
/// var rows = new[] { new Dictionary&lt;string, object?&gt; { ["protocol"] = "E", ["compounds"] = 997, ["input_fields"] = 137, ["iterations"] = 20, ["num_pending"] = 0, ["hour"] = 14, ["day"] = "Tue" } };
/// foreach (var p in run.Predict(rows))
/// {
///     Console.WriteLine($"{p.Label}: {string.Join(", ", p.Probabilities)}");
/// }
/// </code>
/// </example>
/// <remarks>
/// Values are read as the program reads a CSV cell: numbers in the invariant culture, null, "" or "NA" as missing.
/// A row with a missing value is refused when the run dropped such rows (<see cref="Missing"/>, the default), else
/// a missing number takes the training mean and a missing category the level "(missing)" when training had it;
/// a category level training never saw is encoded as no level. Columns the model does not read are ignored.
/// The model runs on the CPU.
/// </remarks>
public sealed class TrainedRun : IDisposable
{
    private readonly FeatureClassifier _model;
    private readonly Objective _objective;

    private TrainedRun(string folder, RunConfig config, TrainingState state, FeatureClassifier model, Objective objective)
    {
        Folder = folder;
        Config = config;
        State = state;
        _model = model;
        _objective = objective;
    }

    /// <summary>The run folder, absolute.</summary>
    public string Folder { get; }

    /// <summary>The classes, lowest first; <see cref="Prediction.Class"/> indexes them.</summary>
    public IReadOnlyList<string> Classes => Config.ClassNames;

    /// <summary>The feature columns the model reads, by name (none for image runs).</summary>
    public IReadOnlyList<string> Features => Config.Encoder.Columns.Select(c => c.Name).ToArray();

    /// <summary>The target column of the training data (null for image runs).</summary>
    public string? Target => Config.Schema.Target.Column;

    /// <summary>The decoder the run reports with (--decoder at training): the default of <see cref="Predict"/>.</summary>
    public OrdinalDecoder Decoder => Config.Train.Decoder;

    /// <summary>The run's missing-value policy (--missing at training): the default of <see cref="Predict"/>'s.</summary>
    public MissingValues Missing => Config.Encoder.Missing;

    /// <summary>Whether the model reads 28 x 28 images rather than table rows.</summary>
    public bool IsImage => Config.Encoder.Image;

    internal RunConfig Config { get; }

    internal TrainingState State { get; }

    /// <summary>The best epoch's network, in evaluation mode (for <see cref="OnnxExport"/>).</summary>
    internal FeatureClassifier Model => _model;

    /// <summary>Loads the best model of a run folder.</summary>
    /// <param name="folder">A folder written by <c>earthmover train</c> (it holds model.bin).</param>
    /// <exception cref="ArgumentException">The folder is missing, is not a run folder, or is damaged.</exception>
    public static TrainedRun Load(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        try
        {
            return Open(folder, nameof(folder));
        }
        catch (UserError e)
        {
            throw new ArgumentException(e.Message, nameof(folder));
        }
    }

    /// <summary>Predicts table rows given as column name → value (text, a number, or null for missing).</summary>
    /// <param name="rows">The rows; each must hold every column of <see cref="Features"/>, in any order.</param>
    /// <param name="decoder">How a distribution becomes a class; default: the method's own rule for coral, corn, logistic-at and ecoc (thresholds passed, conditional probabilities above 1/2, the nearest code word), else <see cref="Decoder"/>.</param>
    /// <param name="missing">
    /// What a missing value (null, "" or "NA") in a feature the model reads does: default the run's own policy
    /// (<see cref="Missing"/>, the program's --missing). Under <see cref="MissingValues.Drop"/> such a row is refused,
    /// as training left such rows out and the program's predict leaves their predictions empty; under
    /// <see cref="MissingValues.Impute"/> it is filled in as in training (the mean; the level "(missing)").
    /// </param>
    /// <returns>One prediction per row, in order.</returns>
    /// <exception cref="ArgumentException">A row lacks a feature column, holds a non-number in a numeric one, or has a missing value under <see cref="MissingValues.Drop"/>.</exception>
    public IReadOnlyList<Prediction> Predict(IEnumerable<IReadOnlyDictionary<string, object?>> rows, OrdinalDecoder? decoder = null, MissingValues? missing = null)
    {
        bool refuseMissing = (missing ?? Missing) == MissingValues.Drop;
        ArgumentNullException.ThrowIfNull(rows);
        if (IsImage)
        {
            throw new ArgumentException("this run's model reads images: use PredictImages.", nameof(rows));
        }
        var columns = Config.Encoder.Columns;
        var list = rows.ToList();
        var inputs = new float[(long)list.Count * Config.Encoder.Width];
        var cells = new string?[columns.Length];
        for (int r = 0; r < list.Count; r++)
        {
            var row = list[r] ?? throw new ArgumentException($"row {r + 1} is null.", nameof(rows));
            for (int f = 0; f < columns.Length; f++)
            {
                if (!row.TryGetValue(columns[f].Name, out object? value))
                {
                    var lacking = columns.Where(c => !row.ContainsKey(c.Name)).Select(c => $"'{c.Name}'");
                    throw new ArgumentException($"row {r + 1} lacks the columns the model reads: {string.Join(", ", lacking)}.", nameof(rows));
                }
                cells[f] = Cell(value);
                if (cells[f] is null && refuseMissing)
                {
                    throw new ArgumentException($"row {r + 1} has no value in '{columns[f].Name}': the run was trained with missing values dropped (MissingValues.Drop), so it gives no prediction for such a row; pass missing: MissingValues.Impute to fill it in as training would have.", nameof(rows));
                }
                if (cells[f] is { } cell && columns[f].Kind == FeatureKind.Numeric && !TargetSchema.TryNumber(cell, out _))
                {
                    throw new ArgumentException($"row {r + 1}: '{cell}' in column '{columns[f].Name}' is not a number (the model reads it as numeric).", nameof(rows));
                }
            }
            Config.Encoder.Encode(cells, inputs.AsSpan(r * Config.Encoder.Width, Config.Encoder.Width), null);
        }
        return Score(inputs, list.Count, decoder);
    }

    /// <summary>Predicts 28 x 28 grey images (784 bytes each, row by row, 0 = black), for runs trained on IDX images.</summary>
    /// <param name="images">The images.</param>
    /// <param name="decoder">How a distribution becomes a class; default: the method's own rule for coral, corn, logistic-at and ecoc, else <see cref="Decoder"/>.</param>
    /// <exception cref="ArgumentException">The run reads table rows, or an image is not 784 bytes.</exception>
    public IReadOnlyList<Prediction> PredictImages(IEnumerable<byte[]> images, OrdinalDecoder? decoder = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (!IsImage)
        {
            throw new ArgumentException("this run's model reads table rows: use Predict.", nameof(images));
        }
        var list = images.ToList();
        if (list.FindIndex(i => i is null || i.Length != 28 * 28) is int bad and >= 0)
        {
            throw new ArgumentException($"image {bad + 1} is not 784 bytes (28 x 28).", nameof(images));
        }
        var inputs = ImageDataset.Scale(list.SelectMany(i => i).ToArray());
        return Score(inputs, list.Count, decoder);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _model.Dispose();
        _objective.Dispose();
    }

    /// <summary>Loads a run for the program: a missing or damaged folder is a <see cref="UserError"/> naming <paramref name="option"/>.</summary>
    internal static TrainedRun Open(string folder, string option)
    {
        string full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
        {
            throw new UserError($"{option} {folder}: no such folder.");
        }
        string modelPath = Path.Combine(full, Checkpoint.ModelFile);
        if (!File.Exists(modelPath))
        {
            throw new UserError($"{option} {folder}: there is no {Checkpoint.ModelFile} in it (not a run folder, or its first epoch has not finished).");
        }
        var (config, state) = Checkpoint.ReadHeader(modelPath);
        var model = FeatureClassifier.Create(config.Encoder, config.Train, config.Loss.Head, config.ClassNames.Length);
        if (Methods.LossHeads.Outputs(config.Loss.Head, config.ClassNames.Length) != config.Outputs)
        {
            throw new UserError($"{option} {folder}: its model has {config.Outputs} outputs, but {config.Loss.Text} over {config.ClassNames.Length} classes needs {Methods.LossHeads.Outputs(config.Loss.Head, config.ClassNames.Length)}; is it from another version of earthmover?");
        }
        Checkpoint.LoadModel(modelPath, model, null);
        model.eval();
        var objective = new Objective(config.Loss, config.ClassNames.Length, model.FeatureWidth, torch.CPU);
        return new TrainedRun(full, config, state, model, objective);
    }

    /// <summary>
    /// The predicted distributions of <paramref name="count"/> encoded samples, row-major (C per sample), computed
    /// in batches of the run's batch size as training scored its validation and test rows.
    /// </summary>
    internal float[] Probabilities(float[] inputs, int count) => Outputs(inputs, count).Probabilities;

    /// <summary>
    /// The predictions of <paramref name="count"/> encoded samples: each one's distribution, and its class by the
    /// method's own rule (coral, corn, logistic-at, ecoc) when <paramref name="decoder"/> is null, else by the decoder
    /// (null: the run's decoder for the losses on C logits).
    /// </summary>
    internal Prediction[] Score(float[] inputs, int count, OrdinalDecoder? decoder)
    {
        var (probabilities, own) = Outputs(inputs, count);
        return decoder is null && own is not null
            ? Decode(probabilities, count, Decoder, own)
            : Decode(probabilities, count, decoder ?? Decoder);
    }

    /// <summary>Whether the run's class comes from its method's own rule rather than a decoder of the distribution.</summary>
    internal bool HasOwnRule => Methods.LossHeads.Rule(Config.Loss.Head) is not null;

    /// <summary>The predictions of distributions from <see cref="Probabilities"/>; with <paramref name="own"/>, those classes instead of the decoder's.</summary>
    internal Prediction[] Decode(float[] probabilities, int count, OrdinalDecoder decoder, int[]? own = null)
    {
        int classes = Config.ClassNames.Length;
        var result = new Prediction[count];
        for (int i = 0; i < count; i++)
        {
            var p = new double[classes];
            for (int k = 0; k < classes; k++)
            {
                p[k] = probabilities[(long)i * classes + k];
            }
            int decoded = own?[i] ?? OrdinalDecoding.Decode(p, decoder);
            result[i] = new Prediction(decoded, Config.ClassNames[decoded], p);
        }
        return result;
    }

    // The distributions (row-major) and the own rule's classes (null for the losses on C logits), in batches.
    private (float[] Probabilities, int[]? Classes) Outputs(float[] inputs, int count)
    {
        int classes = Config.ClassNames.Length;
        var result = new float[(long)count * classes];
        int[]? own = HasOwnRule ? new int[count] : null;
        if (count == 0)
        {
            return (result, own);
        }
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = torch.tensor(inputs, count, Config.Encoder.Width);
        int batch = Config.Train.BatchSize;
        for (int start = 0; start < count; start += batch)
        {
            using var step = torch.NewDisposeScope();
            int n = Math.Min(batch, count - start);
            var (outputs, _) = _model.Run(x.narrow(0, start, n));
            var p = _objective.Probabilities(outputs).to(ScalarType.Float32).cpu().data<float>().ToArray();
            Array.Copy(p, 0, result, (long)start * classes, p.Length);
            if (own is not null)
            {
                var c = _objective.Classes(outputs)!.cpu().data<long>().ToArray();
                for (int i = 0; i < n; i++)
                {
                    own[start + i] = (int)c[i];
                }
            }
        }
        return (result, own);
    }

    // A value as the program reads a CSV cell.
    private static string? Cell(object? value) => value switch
    {
        null => null,
        string s => s.Trim() is { Length: > 0 } t && t != "NA" ? t : null,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
