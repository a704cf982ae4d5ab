namespace EarthMover;

/// <summary>
/// The paper's training-loss schedule (docs/math.md §6): cross-entropy alone for the first <see cref="WarmupEpochs"/>
/// epochs, then α·CE + β·S, where S is a second loss (XEMD with the learned W, or the ordered EMD²).
/// β is given, or set automatically so that β·mean(S) = mean(CE)/3.5 at the end of the warm-up, the rule of
/// the public reproduction.
/// </summary>
/// <remarks>
/// Use: <c>var loss = schedule.Loss(logits, target);</c> for every batch, <c>schedule.EndEpoch();</c> after every
/// epoch. For the automatic β, S is also evaluated (without gradient) during the last warm-up epoch, once it is
/// available, and β is fixed when that epoch ends; if S only becomes available after the warm-up (a learned W
/// that needs a closed epoch first), β is fixed on the first batch that has it.
/// </remarks>
public sealed class WarmupSchedule
{
    /// <summary>The reproduction's ratio: β · mean(S) = mean(CE) / 3.5.</summary>
    public const double CalibrationRatio = 3.5;

    /// <summary>The authors' learning rate during the cross-entropy warm-up, 10^-2.5.</summary>
    public static readonly double PaperWarmupLearningRate = Math.Pow(10, -2.5);

    /// <summary>The authors' learning rate once the second loss is on, 2e-3.</summary>
    public const double PaperLearningRate = 2e-3;

    private readonly Func<Tensor, Tensor, Tensor> _secondary;
    private readonly Func<bool> _secondaryReady;
    private double _ceSum;
    private double _secondarySum;
    private long _batches;
    private long _secondaryBatches;

    /// <summary>A schedule with CE warm-up, then α·CE + β·<paramref name="secondary"/>.</summary>
    /// <param name="warmupEpochs">Epochs of cross-entropy alone (the authors use 4).</param>
    /// <param name="secondary">The second loss, from logits and class indices to a scalar.</param>
    /// <param name="alpha">The weight of cross-entropy after the warm-up.</param>
    /// <param name="beta">The weight of the second loss, or null to set it from the warm-up (β·mean(S) = mean(CE)/3.5).</param>
    /// <param name="secondaryReady">Whether the second loss can be evaluated yet (a learned W needs a closed epoch); always, by default.</param>
    public WarmupSchedule(int warmupEpochs, Func<Tensor, Tensor, Tensor> secondary, double alpha = 1.0, double? beta = null, Func<bool>? secondaryReady = null)
    {
        ArgumentNullException.ThrowIfNull(secondary);
        if (warmupEpochs < 0)
        {
            throw new ArgumentException($"{nameof(warmupEpochs)} = {warmupEpochs}; it must be >= 0.", nameof(warmupEpochs));
        }
        if (!(alpha >= 0) || double.IsInfinity(alpha))
        {
            throw new ArgumentException($"{nameof(alpha)} = {alpha}; it must be finite and >= 0.", nameof(alpha));
        }
        if (beta is { } b && (!(b >= 0) || double.IsInfinity(b)))
        {
            throw new ArgumentException($"{nameof(beta)} = {b}; it must be finite and >= 0.", nameof(beta));
        }
        WarmupEpochs = warmupEpochs;
        Alpha = alpha;
        Beta = beta;
        _secondary = secondary;
        _secondaryReady = secondaryReady ?? (() => true);
    }

    /// <summary>Epochs of cross-entropy alone.</summary>
    public int WarmupEpochs { get; }

    /// <summary>The weight α of cross-entropy after the warm-up.</summary>
    public double Alpha { get; }

    /// <summary>The weight β of the second loss; null while it is still to be set from the warm-up.</summary>
    public double? Beta { get; private set; }

    /// <summary>The current epoch, counted from 0.</summary>
    public int Epoch { get; private set; }

    /// <summary>Whether the current epoch is a warm-up epoch.</summary>
    public bool InWarmup => Epoch < WarmupEpochs;

    /// <summary>The learning rate the authors used in the current epoch (10^-2.5 in the warm-up, 2e-3 after).</summary>
    public double PaperLearningRateNow => InWarmup ? PaperWarmupLearningRate : PaperLearningRate;

    /// <summary>The mean cross-entropy over the batches of the current epoch so far.</summary>
    public double MeanCrossEntropy => _batches == 0 ? double.NaN : _ceSum / _batches;

    /// <summary>The mean second loss over the batches of the current epoch where it was evaluated.</summary>
    public double MeanSecondary => _secondaryBatches == 0 ? double.NaN : _secondarySum / _secondaryBatches;

    /// <summary>Sets the epoch and β, to continue a schedule saved in a checkpoint (with <see cref="Epoch"/> and <see cref="Beta"/>).</summary>
    /// <param name="epoch">The epoch to continue from.</param>
    /// <param name="beta">β as it was (null if not yet set).</param>
    public void Restore(int epoch, double? beta)
    {
        if (epoch < 0)
        {
            throw new ArgumentException($"{nameof(epoch)} = {epoch}; it must be >= 0.", nameof(epoch));
        }
        Epoch = epoch;
        Beta = beta;
        _ceSum = 0;
        _secondarySum = 0;
        _batches = 0;
        _secondaryBatches = 0;
    }

    /// <summary>The training loss of one batch under the schedule.</summary>
    /// <param name="logits">N x C logits.</param>
    /// <param name="target">N class indices.</param>
    public Tensor Loss(Tensor logits, Tensor target)
    {
        using var scope = torch.NewDisposeScope();
        var ce = nn.functional.cross_entropy(logits, target);
        _ceSum += ce.detach().ToDouble();
        _batches++;
        bool lastWarmup = Epoch == WarmupEpochs - 1;
        if (InWarmup)
        {
            if (Beta is null && lastWarmup && _secondaryReady())
            {
                using var noGrad = torch.no_grad();
                Record(_secondary(logits.detach(), target));
            }
            return ce.MoveToOuterDisposeScope();
        }
        var secondary = _secondary(logits, target);
        Record(secondary.detach());
        if (Beta is null)
        {
            Calibrate(_ceSum / _batches, secondary.detach().ToDouble());
        }
        return (ce * Alpha + secondary * Beta!.Value).MoveToOuterDisposeScope();
    }

    /// <summary>Closes an epoch; at the end of the warm-up it fixes an automatic β from the epoch's means.</summary>
    public void EndEpoch()
    {
        if (Beta is null && Epoch == WarmupEpochs - 1 && _secondaryBatches > 0)
        {
            Calibrate(MeanCrossEntropy, MeanSecondary);
        }
        Epoch++;
        _ceSum = 0;
        _secondarySum = 0;
        _batches = 0;
        _secondaryBatches = 0;
    }

    private void Record(Tensor secondary)
    {
        _secondarySum += secondary.ToDouble();
        _secondaryBatches++;
    }

    // β · mean(S) = mean(CE) / 3.5; a vanishing S (already perfect) leaves β at 0 rather than infinity.
    private void Calibrate(double meanCe, double meanSecondary) =>
        Beta = meanSecondary > 0 ? meanCe / (CalibrationRatio * meanSecondary) : 0;
}
