using EarthMover.Training.Methods;
using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Training;

/// <summary>
/// The training loss of a run: the chosen loss, its CE warm-up schedule, and for xemd with a learned
/// distance the ground-distance learner, kept up to date from the network's features.
/// </summary>
internal sealed class Objective : IDisposable
{
    private readonly LossSpec _spec;
    private readonly int _classes;
    private readonly GroundDistance? _prior;
    private readonly ClassTree? _chain;
    private readonly XemdWeights? _priorWeights;
    private readonly WarmupSchedule? _schedule;
    private readonly SoftLabelShape? _shape;

    public Objective(LossSpec spec, int classes, int featureWidth, Device device, bool distributionTargets = false)
    {
        spec.Check(classes, distributionTargets);
        _spec = spec;
        _classes = classes;
        _shape = spec.Shape();
        var positions = spec.Positions ?? Enumerable.Range(0, classes).Select(i => (double)i).ToArray();
        if (spec.Name == "gd-emd" || (spec.HasDistanceChoice && spec.Distance == "prior"))
        {
            _prior = GroundDistance.FromPositions(positions, spec.Power);
            _priorWeights = spec.IsXemd ? XemdWeights.FromDistance(_prior, Preset) : null;
        }
        if (spec.Name == "tree" && spec.Distance == "prior")
        {
            // The chain x_0 - x_1 - ... - x_{C-1}: its path lengths are |xi - xj|, so the tree EMD is W1 on the line.
            var parents = Enumerable.Range(0, classes).Select(k => k + 1 < classes ? k + 1 : -1).ToArray();
            var lengths = Enumerable.Range(0, classes).Select(k => k + 1 < classes ? positions[k + 1] - positions[k] : 0).ToArray();
            _chain = ClassTree.FromParents(classes, parents, lengths);
        }
        if (spec.UsesLearner)
        {
            Learner = new GroundDistanceLearner(classes, featureWidth, device: device);
        }
        if ((spec.WarmupEpochs > 0 && spec.Name is not ("ce" or "regression")) || spec.UsesLearner)
        {
            _schedule = new WarmupSchedule(spec.WarmupEpochs, Primary, spec.Alpha, spec.Beta, () => Learner?.IsReady ?? true);
        }
    }

    /// <summary>The learner of the ground distance, for xemd with a learned distance.</summary>
    public GroundDistanceLearner? Learner { get; }

    /// <summary>Whether the learner needs a full pass over the training set after each epoch (the paper's mode).</summary>
    public bool NeedsFullPass => Learner is not null && _spec.Learner == "paper";

    /// <summary>The model's number of outputs: C, C - 1 for a threshold or code head, or 1 for the regression baseline.</summary>
    public int Outputs => LossHeads.Outputs(_spec.Head, _classes);

    /// <summary>The schedule's state, for checkpoints.</summary>
    public (int Epoch, double? Beta) ScheduleState => _schedule is null ? (0, null) : (_schedule.Epoch, _schedule.Beta);

    /// <summary>The ground distance in use (learned or prior), for reports; null if none.</summary>
    public GroundDistance? Distance => Learner is { IsReady: true } ? Learner.Distance : _prior;

    private XemdPreset Preset => _spec.Name == "xemd1" ? XemdPreset.Xemd1 : XemdPreset.Xemd2;

    public void RestoreSchedule(int epoch, double? beta) => _schedule?.Restore(epoch, beta);

    /// <summary>The training loss of a batch; with a streaming learner it also accumulates the batch's features.</summary>
    /// <param name="outputs">The network's outputs.</param>
    /// <param name="features">The features the learner reads.</param>
    /// <param name="labels">Class indices (for distribution targets, each row's most likely class; the learner's centroids use them).</param>
    /// <param name="targets">N x C target distributions, or null to train on <paramref name="labels"/>.</param>
    public Tensor Loss(Tensor outputs, Tensor features, Tensor labels, Tensor? targets = null)
    {
        if (Learner is not null && !NeedsFullPass)
        {
            Learner.Accumulate(features, labels);
        }
        if (_spec.IsRegression)
        {
            return nn.functional.mse_loss(outputs.squeeze(1), labels.to(outputs.dtype));
        }
        // Cross-entropy (alone, or the warm-up's) takes probability targets as they are.
        var target = targets ?? labels;
        return _schedule is not null ? _schedule.Loss(outputs, target) : Primary(outputs, target);
    }

    /// <summary>Closes an epoch: the learner recomputes D and W, the schedule moves on.</summary>
    /// <param name="fullPass">The training set's (features, labels) with the network in evaluation mode, for the paper's mode.</param>
    public void EndEpoch(Func<IEnumerable<(Tensor Features, Tensor Labels)>> fullPass)
    {
        if (Learner is not null)
        {
            if (NeedsFullPass)
            {
                Learner.Refit(fullPass());
            }
            else
            {
                Learner.EndEpoch();
            }
        }
        _schedule?.EndEpoch();
    }

    /// <summary>
    /// Predicted distributions over the classes: softmax of C logits, the library's <c>earthmover.ordinal.*_probabilities</c>
    /// of a threshold or code head, or for regression all mass on the rounded prediction.
    /// </summary>
    public Tensor Probabilities(Tensor outputs) => LossHeads.Probabilities(_spec.Head, outputs, _classes);

    /// <summary>The class of each row by the method's own rule (<c>earthmover.ordinal.threshold_predict</c>, <c>corn_predict</c>, <c>ecoc_predict</c>); null for losses on C logits, whose class is the decoder's.</summary>
    public Tensor? Classes(Tensor outputs) => LossHeads.Classes(_spec.Head, outputs);

    /// <summary>
    /// The validation loss, comparable across losses: cross-entropy (the negative log of the predicted probability of
    /// the true class, from <see cref="Probabilities"/> for a threshold or code head; mean squared error for regression);
    /// against <paramref name="targets"/> when the data has target distributions.
    /// </summary>
    public Tensor ValidationLoss(Tensor outputs, Tensor labels, Tensor? targets = null)
    {
        if (_spec.IsRegression)
        {
            return nn.functional.mse_loss(outputs.squeeze(1), labels.to(outputs.dtype));
        }
        if (_spec.HasThresholdHead)
        {
            using var scope = torch.NewDisposeScope();
            var logP = Probabilities(outputs).clamp_min(1e-12).log();
            return nn.functional.nll_loss(logP, labels).MoveToOuterDisposeScope();
        }
        return nn.functional.cross_entropy(outputs, targets ?? labels);
    }

    public void Dispose() => Learner?.Dispose();

    // The loss itself, without the schedule (what the schedule adds to CE after the warm-up). The target is N
    // class indices, or N x C distributions for the losses of LossSpec.SoftNames.
    private Tensor Primary(Tensor logits, Tensor target) => _spec.Name switch
    {
        _ when _spec.Method?.Loss is { } ordinal => ordinal(logits, target, _spec, _shape),
        "ce" => nn.functional.cross_entropy(logits, target),
        "emd2" => earthmover.nn.functional.squared_emd_loss(logits, target, _spec.P, _spec.Root, _spec.Positions),
        "gd-emd" => earthmover.nn.functional.ground_emd_loss(logits, target, _prior!),
        "emd" => earthmover.nn.functional.emd_loss(logits, target, _prior ?? Learner!.Distance),
        "sinkhorn" => earthmover.nn.functional.sinkhorn_loss(logits, target, _prior ?? Learner!.Distance, _spec.Epsilon),
        "tree" => earthmover.nn.functional.tree_emd_loss(logits, target, _chain ?? Learner!.Tree),
        _ => earthmover.nn.functional.xemd_loss(logits, target, _priorWeights ?? Learner!.Weights(Preset)),
    };
}
