using System.Globalization;

namespace EarthMover.Training;

/// <summary>
/// A training loss chosen by name on the command line, with its settings (each property is the earthmover
/// option of the same name; see the README's option table): <c>new LossSpec { Name = "emd2" }</c>.
/// </summary>
public sealed record LossSpec
{
    /// <summary>The loss names the program knows.</summary>
    public static readonly string[] Names = ["ce", "emd2", "gd-emd", "xemd1", "xemd2", "emd", "sinkhorn", "tree", "regression"];

    /// <summary>The losses that train on target distributions (soft labels, count columns, aggregated rows).</summary>
    public static readonly string[] SoftNames = ["ce", "emd2", "emd", "sinkhorn", "tree"];

    /// <summary>The default Sinkhorn regularisation ε (--epsilon), in the units of the ground distance.</summary>
    public const double DefaultEpsilon = 0.1;

    /// <summary>The loss, one of <see cref="Names"/>: ce, emd2, gd-emd, xemd1, xemd2, emd, sinkhorn, tree, regression.</summary>
    public string Name { get; init; } = "ce";

    /// <summary>emd2: the exponent l.</summary>
    public double P { get; init; } = LossDefaults.P;

    /// <summary>emd2: take the l-th root per sample (NIMA's EMD).</summary>
    public bool Root { get; init; }

    /// <summary>emd2 and gd-emd (and prior xemd distances): class positions; null for 0, 1, ..., C-1.</summary>
    public IReadOnlyList<double>? Positions { get; init; }

    /// <summary>gd-emd and prior xemd distances: D_ij = |x_i - x_j|^power.</summary>
    public double Power { get; init; } = 1;

    /// <summary>xemd, emd, sinkhorn, tree: "learned" from the network's features or "prior" (from positions); see <see cref="DefaultDistance"/>.</summary>
    public string Distance { get; init; } = "learned";

    /// <summary>sinkhorn: the entropic regularisation ε &gt; 0.</summary>
    public double Epsilon { get; init; } = DefaultEpsilon;

    /// <summary>--soft-labels gaussian:SIGMA: train on discretised Gaussians of width SIGMA (in class steps) around each class; null: the labels as they are.</summary>
    public double? SoftLabelSigma { get; init; }

    /// <summary>xemd with a learned distance: "streaming" (from the training passes) or "paper" (a full pass each epoch).</summary>
    public string Learner { get; init; } = "streaming";

    /// <summary>Epochs of cross-entropy alone before the loss joins it; null for the loss's default (2 with a learned distance, else 0).</summary>
    public int? Warmup { get; init; }

    /// <summary>Weight of cross-entropy after the warm-up.</summary>
    public double Alpha { get; init; } = 1;

    /// <summary>Weight of the loss after the warm-up; null sets it so that β·mean(loss) = mean(CE)/3.5.</summary>
    public double? Beta { get; init; }

    /// <summary>Whether the loss is the regression baseline (MSE on the class index, rounded).</summary>
    public bool IsRegression => Name == "regression";

    /// <summary>Whether the loss is the paper's XEMD (xemd1 or xemd2), with cross-entropy.</summary>
    public bool IsXemd => Name is "xemd1" or "xemd2";

    /// <summary>Whether the loss uses a ground distance chosen by --distance (learned or prior).</summary>
    public bool HasDistanceChoice => IsXemd || Name is "emd" or "sinkhorn" or "tree";

    /// <summary>Whether the ground distance (or tree) is learned from the network's features.</summary>
    public bool UsesLearner => HasDistanceChoice && Distance == "learned";

    /// <summary>Whether this loss can train on target distributions.</summary>
    public bool TakesSoftTargets => SoftNames.Contains(Name);

    /// <summary>--distance when not given: learned for xemd and tree (orderless classes), prior (|xi - xj|) for emd and sinkhorn.</summary>
    public static string DefaultDistance(string loss) => loss is "emd" or "sinkhorn" ? "prior" : "learned";

    /// <summary>
    /// A warning for emd, sinkhorn and tree trained on hard labels (one class per row, one-hot targets): losses
    /// made for target distributions, which on such labels have been seen to pick their best epoch among the
    /// first few and give the worst QWK of all losses on real ordinal tables. Null otherwise. The program prints it
    /// before training and records it with the run; it does not refuse, since the comparison is a fair question.
    /// </summary>
    /// <param name="distributionTargets">Whether the data has target distributions (--target-columns or --aggregate-by).</param>
    public string? HardLabelWarning(bool distributionTargets) =>
        Name is "emd" or "sinkhorn" or "tree" && SoftLabelSigma is null && !distributionTargets
            ? $"{Name} is a loss for target distributions, and these targets are hard labels (one class per row, one-hot): on real ordinal tables such runs pick a best epoch among the first few and give the worst QWK. For class labels use emd2 or gd-emd (exact for them), or give {Name} soft labels with --soft-labels gaussian:1."
            : null;

    /// <summary>The CE warm-up epochs in effect.</summary>
    public int WarmupEpochs => Warmup ?? (UsesLearner ? 2 : 0);

    /// <summary>Whether cross-entropy trains alone for <see cref="WarmupEpochs"/> epochs before this loss joins it.</summary>
    public bool HasWarmup => WarmupEpochs > 0 && Name is not ("ce" or "regression");

    /// <summary>Checks the settings that do not depend on the data; <paramref name="option"/> names the loss (--loss or --losses).</summary>
    public void CheckOptions(string option = "--loss")
    {
        if (!Names.Contains(Name))
        {
            string? near = Suggestions.Nearest(Name, Names);
            throw new UserError($"{option}: '{Name}' is not a loss; {(near is null ? "" : $"did you mean {near}? ")}choose one of {string.Join(", ", Names)}.");
        }
        if (!(P >= 1) || double.IsInfinity(P))
        {
            throw new UserError($"--exponent {P}: it must be finite and >= 1.");
        }
        if (!(Power > 0) || double.IsInfinity(Power))
        {
            throw new UserError($"--power {Power}: it must be a finite number > 0.");
        }
        if (Distance is not ("learned" or "prior"))
        {
            throw new UserError($"--distance: '{Distance}' must be 'learned' or 'prior'.");
        }
        if (Learner is not ("streaming" or "paper"))
        {
            throw new UserError($"--learner: '{Learner}' must be 'streaming' or 'paper'.");
        }
        if (WarmupEpochs < 0)
        {
            throw new UserError($"--warmup {WarmupEpochs}: it must be >= 0 (and less than --epochs).");
        }
        if (!(Epsilon > 0) || double.IsInfinity(Epsilon))
        {
            throw new UserError($"--epsilon {Epsilon}: it must be a finite number > 0.");
        }
        if (SoftLabelSigma is not null && !TakesSoftTargets)
        {
            throw new UserError($"--soft-labels: {option} {Name} takes class labels; with soft labels use {string.Join(", ", SoftNames)}.");
        }
        if (Name == "tree" && Distance == "prior" && Power != 1)
        {
            throw new UserError($"--power {Power}: the tree over ordered classes is a chain, whose path lengths are |xi - xj|; leave --power at 1.");
        }
        if (UsesLearner && WarmupEpochs < 1)
        {
            throw new UserError("--warmup must be at least 1 with a learned distance: W is learned from the features of a finished epoch.");
        }
        if (!(Alpha >= 0) || double.IsInfinity(Alpha))
        {
            throw new UserError($"--alpha {Alpha}: it must be a finite number >= 0.");
        }
        if (Beta is double beta && (!(beta >= 0) || double.IsInfinity(beta)))
        {
            throw new UserError($"--beta {beta}: it must be a finite number >= 0.");
        }
        if (Alpha == 0 && Beta == 0)
        {
            throw new UserError("--alpha 0 and --beta 0: after the warm-up nothing would be trained; make one of them positive.");
        }
    }

    /// <summary>Checks every setting, including those that depend on the number of classes and on whether the data has target distributions.</summary>
    public void Check(int classes, bool distributionTargets = false, string option = "--loss")
    {
        CheckOptions(option);
        if (distributionTargets && !TakesSoftTargets)
        {
            throw new UserError($"{option} {Name} takes class labels, but the data has target distributions (--target-columns or --aggregate-by); use {string.Join(", ", SoftNames)}.");
        }
        if (distributionTargets && SoftLabelSigma is not null)
        {
            throw new UserError("--soft-labels makes distributions from class labels, but the data has target distributions already (--target-columns or --aggregate-by); leave it out.");
        }
        if (Positions is { } positions && positions.Count != classes)
        {
            throw new UserError($"--positions has {positions.Count} values but the data has {classes} classes.");
        }
        if (Positions is { } p && p.Zip(p.Skip(1)).Any(pair => !(pair.Second > pair.First)))
        {
            throw new UserError("--positions must be strictly increasing.");
        }
    }

    /// <summary>A short description for reports, e.g. "emd2 (l=2, CE warm-up 2)".</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Name == "emd2")
        {
            parts.Add($"l={P.ToString(CultureInfo.InvariantCulture)}");
            if (Root)
            {
                parts.Add("root");
            }
        }
        if (Name == "gd-emd")
        {
            parts.Add($"D=|xi-xj|^{Power.ToString(CultureInfo.InvariantCulture)}");
        }
        if (HasDistanceChoice)
        {
            string prior = Name == "tree" ? "chain over the classes" : $"prior D=|xi-xj|^{Power.ToString(CultureInfo.InvariantCulture)}";
            parts.Add(Distance == "learned" ? (Name == "tree" ? $"learned tree ({Learner})" : $"learned D ({Learner})") : prior);
        }
        if (Name == "sinkhorn")
        {
            parts.Add($"epsilon={Epsilon.ToString(CultureInfo.InvariantCulture)}");
        }
        if (SoftLabelSigma is double sigma)
        {
            parts.Add($"soft labels gaussian:{sigma.ToString(CultureInfo.InvariantCulture)}");
        }
        if (Positions is not null)
        {
            parts.Add("positions " + string.Join(",", Positions.Select(p => p.ToString(CultureInfo.InvariantCulture))));
        }
        if (WarmupEpochs > 0 || UsesLearner)
        {
            parts.Add($"CE warm-up {WarmupEpochs}");
        }
        return parts.Count == 0 ? Name : $"{Name} ({string.Join(", ", parts)})";
    }
}
