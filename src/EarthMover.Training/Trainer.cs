using System.Diagnostics;
using EarthMover.Training.Data;
using EarthMover.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Training;

/// <summary>
/// Trains one model with one loss on one split: mini-batch Adam, validation after every epoch, early
/// stopping on the monitored score (by default the validation ranked probability score), a checkpoint after
/// every epoch, and the best epoch's weights scored on the test rows. The best epoch is chosen after the
/// loss's cross-entropy warm-up and not before --min-epochs, so that a reported EMD run is an EMD model. Every epoch is seeded from (seed, epoch), so a run resumed from a checkpoint ends with the
/// same weights as one that was never interrupted.
/// </summary>
/// <example>
/// <code>
/// var data = DataSource.Load(new DataOptions { Source = "hpc_data.csv", Target = "class", Order = ["VF", "F", "M", "L"] });
/// var loss = new LossSpec { Name = "emd2" };
/// var options = new TrainOptions { Epochs = 10 };
/// var result = new Trainer(data, "runs/hpc").Run(loss, options);
/// using var run = TrainedRun.Load("runs/hpc");
/// </code>
/// </example>
public sealed class Trainer
{
    private readonly Dataset _data;
    private readonly RunFolder? _folder;
    private readonly ITrainingProgress _progress;

    /// <summary>A trainer of <paramref name="data"/> that keeps its run in <paramref name="folder"/>.</summary>
    /// <param name="data">The samples, from <see cref="DataSource.Load"/>.</param>
    /// <param name="folder">
    /// The run folder, created when the first epoch ends: checkpoint.bin after every epoch (what a resumed run
    /// continues from), model.bin with the best epoch's weights and the data schema (what <see cref="TrainedRun.Load"/>
    /// reads) and schema.json; files of an earlier run there are replaced. Null keeps nothing, and the test
    /// metrics are then those of the last epoch's weights.
    /// </param>
    /// <param name="progress">Where epochs and batches are reported; null reports nowhere.</param>
    /// <exception cref="TrainingException">The folder cannot be written.</exception>
    public Trainer(Dataset data, string? folder, ITrainingProgress? progress = null)
        : this(data, folder is null ? null : new RunFolder(folder), progress ?? NoProgress.Instance)
    {
        ArgumentNullException.ThrowIfNull(data);
    }

    internal Trainer(Dataset data, RunFolder? folder, ITrainingProgress progress)
    {
        _data = data;
        _folder = folder;
        _progress = progress;
    }

    /// <summary>The share of validation rows predicted as one class from which a best model is called collapsed.</summary>
    public const double CollapseShare = 0.95;

    /// <summary>
    /// Everything about a run that can be checked before training (each failure one <see cref="UserError"/>):
    /// the options together, the loss against the classes, the split (rows for training, validation and test,
    /// and a training example of every class), the features left after --ignore, and the model's size.
    /// Returns the feature encoder fitted on the training rows.
    /// </summary>
    internal static FeatureEncoder Check(Dataset data, LossSpec loss, TrainOptions options, Split split)
    {
        int classes = data.ClassNames.Length;
        loss.Check(classes, data.Targets is not null);
        options.Check(loss);
        foreach (var (rows, name, option) in new[] { (split.Validation, "validation", "--validation"), (split.Test, "test", "--test") })
        {
            if (rows.Length == 0)
            {
                throw new UserError($"{option}: the {name} split of {data.Count} rows is empty; use more rows or a larger {option} fraction.");
            }
        }
        if (data.Targets is null)
        {
            // With target distributions a class may be nobody's most likely one and still be learned from.
            CheckEveryClassTrains(data, split.Train);
        }
        var encoder = data.Fit(split.Train);
        if (encoder.Width == 0)
        {
            throw new UserError("--ignore leaves no feature columns to learn from (it names every column besides the target).");
        }
        if (!data.IsImage)
        {
            long parameters = Mlp.Parameters(encoder.Width, options.Hidden, Methods.LossHeads.Outputs(loss.Head, classes));
            if (parameters > TrainOptions.MaximumParameters)
            {
                throw new UserError($"--hidden {string.Join(",", options.Hidden)}: the MLP would have {parameters / 1e6:0.#} million parameters ({encoder.Width} inputs); the limit is {TrainOptions.MaximumParameters / 1_000_000} million: use narrower layers.");
            }
        }
        return encoder;
    }

    /// <summary>
    /// Trains on the program's stratified split of the data (<see cref="Split.Stratified"/>) and scores the best
    /// epoch on the test rows; with <paramref name="resume"/>, continues the run whose checkpoint.bin is in the folder.
    /// </summary>
    /// <param name="loss">The loss and its settings.</param>
    /// <param name="options">How to train.</param>
    /// <param name="resume">Whether to continue from the folder's checkpoint (with the same data, loss and options; only <see cref="TrainOptions.Epochs"/> may grow).</param>
    /// <param name="cancel">Stops training after the current batch (<see cref="OperationCanceledException"/>); the last finished epoch's checkpoint stays intact.</param>
    /// <returns>The history, the best epoch and its test metrics.</returns>
    /// <exception cref="TrainingException">A setting is out of range, the loss does not fit the data, a split is empty, a class has no training row, the model is too large, there is no checkpoint to resume from, or training diverged.</exception>
    public TrainingResult Run(LossSpec loss, TrainOptions options, bool resume = false, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(options);
        return Run(_data.Options ?? new DataOptions(), loss, options, Split.Stratified(_data, options), resume, cancel);
    }

    /// <summary>Trains (or, with <paramref name="resume"/>, continues) and scores the best epoch on the test rows.</summary>
    /// <param name="dataOptions">The options the data was loaded with, recorded in the run (the program reads the data again from them to evaluate or resume).</param>
    /// <param name="loss">The loss and its settings.</param>
    /// <param name="options">How to train.</param>
    /// <param name="split">The rows to train, validate and test on.</param>
    /// <param name="resume">Whether to continue from the folder's checkpoint.</param>
    /// <param name="cancel">Stops training after the current batch.</param>
    /// <returns>The history, the best epoch and its test metrics.</returns>
    /// <exception cref="TrainingException">As <see cref="Run(LossSpec, TrainOptions, bool, CancellationToken)"/>.</exception>
    public TrainingResult Run(DataOptions dataOptions, LossSpec loss, TrainOptions options, Split split, bool resume = false, CancellationToken cancel = default)
    {
        var encoder = Check(_data, loss, options, split);
        int classes = _data.ClassNames.Length;
        var device = Devices.Resolve(options.Device);

        using var scope = torch.NewDisposeScope();
        var (trainX, trainY) = Tensors(encoder, split.Train, device);
        var (validX, validY) = Tensors(encoder, split.Validation, device);
        var (testX, testY) = Tensors(encoder, split.Test, device);
        var trainT = TrainingTargets(split.Train, loss, device);
        var validT = DataTargets(split.Validation, device);
        var testT = DataTargets(split.Test, device);
        var scores = loss.Positions ?? Enumerable.Range(0, classes).Select(k => (double)k).ToArray();
        double threshold = options.Threshold ?? DistributionMetrics.DefaultThreshold(scores);

        torch.manual_seed(options.Seed);
        int outputs = Methods.LossHeads.Outputs(loss.Head, classes);
        using var model = FeatureClassifier.Create(encoder, options, loss.Head, classes);
        model.to(device);
        using var objective = new Objective(loss, classes, model.FeatureWidth, device, _data.Targets is not null);
        using var optimizer = optim.Adam(model.parameters(), lr: options.LearningRate, weight_decay: options.WeightDecay);
        var config = new RunConfig(dataOptions, loss, options, _data.Name, _data.ClassNames, _data.Schema(encoder), outputs, model.FeatureWidth);

        var state = new TrainingState();
        if (resume)
        {
            if (_folder is null || !_folder.Exists(Checkpoint.ResumeFile))
            {
                throw new UserError($"--resume: there is no {Checkpoint.ResumeFile} in {_folder?.FullPath} to continue from.");
            }
            state = Checkpoint.LoadResume(_folder.PathOf(Checkpoint.ResumeFile), model, optimizer, objective);
            objective.RestoreSchedule(state.ScheduleEpoch, state.ScheduleBeta);
            _progress.Message(state.BestEpoch >= 0 ? $"resuming after epoch {state.Epoch} (best so far: epoch {state.BestEpoch + 1})" : $"resuming after epoch {state.Epoch}");
        }

        int firstEligible = options.FirstEligibleEpoch(loss);
        int batches = (split.Train.Length + options.BatchSize - 1) / options.BatchSize;
        while (!state.EarlyStopped && state.Epoch < options.Epochs)
        {
            int epoch = state.Epoch;
            var watch = Stopwatch.StartNew();
            _progress.EpochStarted(epoch, options.Epochs, batches);
            double trainLoss;
            try
            {
                trainLoss = TrainEpoch(model, objective, optimizer, trainX, trainY, options, epoch, _progress, cancel, trainT);
            }
            catch (Exception e) when (Diverged(e))
            {
                // The losses refuse non-finite logits, and libtorch overflows in Adam: both mean the weights blew up.
                throw new UserError($"training diverged: the network's outputs became NaN or infinite in epoch {epoch + 1}; try a smaller --lr.");
            }
            if (!double.IsFinite(trainLoss))
            {
                throw new UserError($"training diverged: the loss is {trainLoss} in epoch {epoch + 1}; try a smaller --lr.");
            }
            objective.EndEpoch(() => Batches(model, trainX, trainY, options.BatchSize));
            var valid = Score(model, objective, validX, validY, options.BatchSize, options.Decoder, classes, validT);
            bool eligible = epoch >= firstEligible;
            var record = new EpochRecord(epoch + 1, trainLoss, valid.Loss, valid.Metrics.MeanAbsoluteError, valid.Metrics.ExactAccuracy, valid.Metrics.QuadraticWeightedKappa, watch.Elapsed.TotalSeconds, valid.Rps, valid.TopShare, valid.TopClass, eligible, valid.Proper.BrierScore);
            state.History.Add(record);

            double score = options.Monitor switch
            {
                "accuracy" => -record.ValidationAccuracy,
                "qwk" => -record.ValidationQwk,
                "loss" => record.ValidationLoss,
                "mae" => record.ValidationMae,
                "brier" => record.ValidationBrier,
                _ => record.ValidationRps,
            };
            bool best = eligible && score < state.BestScore;
            (state.ScheduleEpoch, state.ScheduleBeta) = objective.ScheduleState;
            state.Epoch = epoch + 1;
            if (best)
            {
                state.BestScore = score;
                state.BestEpoch = epoch;
                state.BadEpochs = 0;
                if (_folder is not null)
                {
                    Checkpoint.SaveModel(_folder, config, state, model, objective);
                }
            }
            else if (eligible)
            {
                state.BadEpochs++;
            }
            // Kept even at the last epoch: a resumed run with more epochs stops where an uninterrupted one would.
            state.EarlyStopped = state.BadEpochs >= options.Patience;
            if (_folder is not null)
            {
                Checkpoint.SaveResume(_folder, config, state, model, optimizer, objective);
            }
            _progress.EpochDone(record, best);
            if (state.EarlyStopped && state.Epoch < options.Epochs)
            {
                _progress.Message($"early stop: no better validation {options.Monitor} for {Plural.Of(options.Patience, "epoch")}");
            }
        }

        // The reported metrics are those of the best epoch's weights.
        if (_folder is not null)
        {
            Checkpoint.LoadModel(_folder.PathOf(Checkpoint.ModelFile), model, objective);
        }
        var test = new Dictionary<OrdinalDecoder, OrdinalMetrics>();
        DistributionMetrics? testDistribution = null;
        ProperScoreMeans? testScores = null;
        foreach (var decoder in Enum.GetValues<OrdinalDecoder>())
        {
            var scored = Score(model, objective, testX, testY, options.BatchSize, decoder, classes, testT);
            test[decoder] = scored.Metrics;
            // The same distributions whatever the decoder: the proper scores do not depend on it.
            testScores ??= scored.Proper;
            if (_data.Targets is not null)
            {
                testDistribution = DistributionMetrics.Compute(scored.Distributions, split.Test.Select(r => _data.Targets[r]).ToArray(), scores, threshold);
            }
        }
        return new TrainingResult(config, state, test, objective.Distance, _data.Notes) { TestDistribution = testDistribution, TestScores = testScores! };
    }

    private static bool Diverged(Exception e) => e switch
    {
        ArgumentException a => a.ParamName == "input" && a.Message.Contains("NaN or infinite", StringComparison.Ordinal),
        System.Runtime.InteropServices.ExternalException x => x.Message.Contains("overflow", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    internal static double TrainEpoch(FeatureClassifier model, Objective objective, optim.Optimizer optimizer, Tensor x, Tensor y, TrainOptions options, int epoch, ITrainingProgress progress, CancellationToken cancel, Tensor? targets = null)
    {
        // Dropout and shuffling depend only on (seed, epoch): what makes a resumed run end where an uninterrupted one does.
        torch.manual_seed(options.Seed * 1_000_003L + epoch);
        var order = Enumerable.Range(0, (int)x.size(0)).ToArray();
        new Random(unchecked(options.Seed * 7919 + epoch)).Shuffle(order);
        using var permutation = torch.tensor(order.Select(i => (long)i).ToArray()).to(x.device);
        model.train();
        double total = 0;
        int batches = 0;
        for (int start = 0; start < order.Length; start += options.BatchSize)
        {
            cancel.ThrowIfCancellationRequested();
            using var step = torch.NewDisposeScope();
            var index = permutation.narrow(0, start, Math.Min(options.BatchSize, order.Length - start));
            var (outputs, features) = model.Run(x.index_select(0, index));
            var loss = objective.Loss(outputs, features, y.index_select(0, index), targets?.index_select(0, index));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            total += loss.ToDouble();
            batches++;
            progress.BatchDone(batches, total / batches);
        }
        return total / Math.Max(1, batches);
    }

    // Features and labels of the training rows with the network in evaluation mode (the paper's learner pass).
    private static IEnumerable<(Tensor Features, Tensor Labels)> Batches(FeatureClassifier model, Tensor x, Tensor y, int batchSize)
    {
        model.eval();
        using var noGrad = torch.no_grad();
        for (long start = 0; start < x.size(0); start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            long count = Math.Min(batchSize, x.size(0) - start);
            var (_, features) = model.Run(x.narrow(0, start, count));
            yield return (features, y.narrow(0, start, count));
        }
    }

    private static Scores Score(FeatureClassifier model, Objective objective, Tensor x, Tensor y, int batchSize, OrdinalDecoder decoder, int classes, Tensor? targets)
    {
        model.eval();
        using var noGrad = torch.no_grad();
        var truth = new List<int>();
        var predicted = new List<int>();
        var distributions = new List<double[]>();
        double loss = 0;
        for (long start = 0; start < x.size(0); start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            long count = Math.Min(batchSize, x.size(0) - start);
            var labels = y.narrow(0, start, count);
            var (outputs, _) = model.Run(x.narrow(0, start, count));
            loss += objective.ValidationLoss(outputs, labels, targets?.narrow(0, start, count)).ToDouble() * count;
            var p = objective.Probabilities(outputs).to(ScalarType.Float64).cpu().data<double>().ToArray();
            var t = labels.cpu().data<long>().ToArray();
            // A threshold or code model's class is its own rule's; the decoders read the distribution of the others.
            var own = objective.Classes(outputs)?.cpu().data<long>().ToArray();
            for (int i = 0; i < count; i++)
            {
                var row = p.AsSpan(i * classes, classes).ToArray();
                distributions.Add(row);
                predicted.Add(own is null ? OrdinalDecoding.Decode(row, decoder) : (int)own[i]);
                truth.Add((int)t[i]);
            }
        }
        var counts = new int[classes];
        foreach (int k in predicted)
        {
            counts[k]++;
        }
        int top = Array.IndexOf(counts, counts.Max());
        var targetRows = targets is null ? null : Rows(targets, classes);
        return new Scores(
            loss / Math.Max(1, x.size(0)),
            OrdinalMetrics.Compute(truth, predicted, classes, distributions),
            targetRows is null ? RankedProbabilityScore.Mean(distributions, truth) : DistributionMetrics.MeanRps(distributions, targetRows),
            (double)counts[top] / Math.Max(1, predicted.Count),
            top,
            distributions,
            ProperScoresOf(distributions, truth, targetRows));
    }

    // The proper scores of the distributions; NaN when the network's outputs are not finite (a diverged model, which
    // the epoch loop then reports as such), since a non-finite distribution has no score.
    private static ProperScoreMeans ProperScoresOf(List<double[]> distributions, List<int> truth, double[][]? targets)
    {
        if (distributions.Any(row => row.Any(p => !double.IsFinite(p))))
        {
            return new ProperScoreMeans(distributions.Count, double.NaN, double.NaN, double.NaN);
        }
        return targets is null ? ProperScores.Mean(distributions, truth) : ProperScores.Mean(distributions, targets);
    }

    private (Tensor X, Tensor Y) Tensors(FeatureEncoder encoder, int[] rows, Device device)
    {
        var x = torch.tensor(_data.Encode(encoder, rows), rows.Length, encoder.Width).to(device);
        var y = torch.tensor(rows.Select(r => (long)_data.Labels[r]).ToArray()).to(device);
        return (x, y);
    }

    // The training targets: the data's distributions, label distributions (--soft-labels: Gaussian or another shape), or null for class indices.
    private Tensor? TrainingTargets(int[] rows, LossSpec loss, Device device)
    {
        int classes = _data.ClassNames.Length;
        if (_data.Targets is not null)
        {
            return DataTargets(rows, device);
        }
        var labels = rows.Select(r => _data.Labels[r]).ToArray();
        if (loss.SoftLabelSigma is double sigma)
        {
            return torch.tensor(SoftLabels.Gaussians(labels, classes, sigma), rows.Length, classes).to(device);
        }
        return loss.SoftLabelShapeName is { } shape
            ? torch.tensor(SoftLabels.Rows(labels, classes, SoftLabels.ParseShape(shape)), rows.Length, classes).to(device)
            : null;
    }

    // The data's target distributions of some rows (null for class labels).
    private Tensor? DataTargets(int[] rows, Device device)
    {
        if (_data.Targets is not { } targets)
        {
            return null;
        }
        int classes = _data.ClassNames.Length;
        var values = new float[rows.Length * classes];
        for (int i = 0; i < rows.Length; i++)
        {
            for (int k = 0; k < classes; k++)
            {
                values[i * classes + k] = (float)targets[rows[i]][k];
            }
        }
        return torch.tensor(values, rows.Length, classes).to(device);
    }

    private static double[][] Rows(Tensor targets, int classes)
    {
        var values = targets.to(ScalarType.Float64).cpu().data<double>().ToArray();
        return Enumerable.Range(0, (int)targets.size(0)).Select(i => values.AsSpan(i * classes, classes).ToArray()).ToArray();
    }

    private static void CheckEveryClassTrains(Dataset data, int[] train)
    {
        var counts = new int[data.ClassNames.Length];
        foreach (var row in train)
        {
            counts[data.Labels[row]]++;
        }
        var empty = Enumerable.Range(0, counts.Length).Where(k => counts[k] == 0).Select(k => $"'{data.ClassNames[k]}'").ToArray();
        if (empty.Length > 0)
        {
            throw new UserError($"class {string.Join(", ", empty)} has no training example; every class in --order needs some (remove it from --order, or use more rows).");
        }
    }

    /// <summary>A model's scores on some rows: the validation loss, the metrics, the RPS (against target distributions when the data has them), the most predicted class with its share, the predicted distributions, and the proper scores (against the target distributions when the data has them, else the true classes).</summary>
    private sealed record Scores(double Loss, OrdinalMetrics Metrics, double Rps, double TopShare, int TopClass, IReadOnlyList<double[]> Distributions, ProperScoreMeans Proper);
}
