using System.Globalization;
using System.Text.Json.Serialization;
using EarthMover.Training.Methods;

namespace EarthMover.Training;

/// <summary>
/// A training loss chosen by name on the command line, with its settings (each property is the earthmover
/// option of the same name; see the README's option table): <c>new LossSpec { Name = "emd2" }</c>. The ordinal
/// toolkit's losses take their parameters after the name (<see cref="Parse"/>: <c>cdw-ce:alpha=2</c>), kept in
/// <see cref="Parameters"/>; <c>earthmover losses</c> lists every loss with its parameters.
/// </summary>
public sealed record LossSpec
{
    /// <summary>The loss names the program knows.</summary>
    public static readonly string[] Names = [.. LossMethods.Names];

    /// <summary>The losses that train on target distributions (soft labels, count columns, aggregated rows).</summary>
    public static readonly string[] SoftNames = ["ce", "emd2", "emd", "sinkhorn", "tree"];

    /// <summary>The default Sinkhorn regularisation ε (--epsilon), in the units of the ground distance.</summary>
    public const double DefaultEpsilon = 0.1;

    /// <summary>The loss, one of <see cref="Names"/>: ce, emd2, gd-emd, xemd1, xemd2, emd, sinkhorn, tree, regression, or an ordinal method (coral, corn, logistic-at, ecoc, sord, ..., mce-qwk).</summary>
    public string Name { get; init; } = "ce";

    /// <summary>
    /// The ordinal method's parameters given after its name (name → value as typed, canonical); the others take
    /// their defaults (<see cref="Number"/>, <see cref="Word"/>). Null or empty: all defaults. Runs saved before
    /// the ordinal methods have none.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }

    /// <summary>The loss as --loss takes it, with the parameters given: e.g. "cdw-ce:alpha=2", "coral", "emd2".</summary>
    [JsonIgnore]
    public string Text => Parameters is { Count: > 0 } given
        ? $"{Name}:{string.Join(':', Method?.Parameters.Where(p => given.ContainsKey(p.Name)).Select(p => $"{p.Name}={given[p.Name]}") ?? given.Select(p => $"{p.Key}={p.Value}"))}"
        : Name;

    /// <summary>The entry of the loss table; null for a name that is not a loss.</summary>
    [JsonIgnore]
    internal LossMethod? Method => LossMethods.Find(Name);

    /// <summary>The model's last layer for this loss.</summary>
    [JsonIgnore]
    internal LossHead Head => Method?.Head ?? LossHead.Logits;

    /// <summary>Whether the loss is one of the ordinal toolkit's (coral, corn, ..., computed by the library's function of that name).</summary>
    [JsonIgnore]
    public bool IsOrdinal => Method?.IsOrdinal ?? false;

    /// <summary>Whether the model outputs C - 1 values rather than C logits (coral, corn, logistic-at, ecoc).</summary>
    [JsonIgnore]
    public bool HasThresholdHead => Head is LossHead.Coral or LossHead.LogisticAt or LossHead.Corn or LossHead.Ecoc;

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

    /// <summary>
    /// --soft-labels with another shape of the soft-label family than gaussian, as --loss names it (sord:alpha=2,
    /// binomial, triangular:alpha2=0.1, ...): train on the rows of that shape's matrix; null: none (or gaussian, kept in
    /// <see cref="SoftLabelSigma"/> as runs have always recorded it).
    /// </summary>
    public string? SoftLabelShapeName { get; init; }

    /// <summary>--soft-labels as given (gaussian:SIGMA or another shape); null without soft labels.</summary>
    [JsonIgnore]
    public string? SoftLabelsText => SoftLabelShapeName ?? (SoftLabelSigma is double sigma ? $"gaussian:{sigma.ToString(CultureInfo.InvariantCulture)}" : null);

    /// <summary>xemd with a learned distance: "streaming" (from the training passes) or "paper" (a full pass each epoch).</summary>
    public string Learner { get; init; } = "streaming";

    /// <summary>Epochs of cross-entropy alone before the loss joins it; null for the loss's default (2 with a learned distance, else 0).</summary>
    public int? Warmup { get; init; }

    /// <summary>Weight of cross-entropy after the warm-up.</summary>
    public double Alpha { get; init; } = 1;

    /// <summary>Weight of the loss after the warm-up; null sets it so that β·mean(loss) = mean(CE)/3.5.</summary>
    public double? Beta { get; init; }

    /// <summary>
    /// A loss as typed: its name, then parameters after colons, each <c>key=value</c> or (the first) a bare value:
    /// <c>coral</c>, <c>cdw-ce:alpha=2</c>, <c>sord:alpha=2:distance=squared</c>, <c>gaussian:0.5</c>. Every value is
    /// checked; the other settings are those of a new <see cref="LossSpec"/>.
    /// </summary>
    /// <param name="text">The loss as typed.</param>
    /// <param name="option">The option it came in, for messages (--loss, --losses, a suite file's 'loss').</param>
    /// <exception cref="UserError">The name is not a loss, or a parameter is unknown, repeated or out of range.</exception>
    public static LossSpec Parse(string text, string option = "--loss")
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split(':');
        string name = parts[0].Trim().ToLowerInvariant();
        var method = LossMethods.Find(name) ?? throw NotALoss(name, option);
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 1; i < parts.Length; i++)
        {
            string part = parts[i].Trim();
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            string key = equals >= 0 ? part[..equals].Trim().ToLowerInvariant() : method.Parameters.Count > 0 && i == 1 ? method.Parameters[0].Name : "";
            string value = equals >= 0 ? part[(equals + 1)..].Trim() : part;
            if (method.Parameters.Count == 0)
            {
                throw new UserError($"{option} {name}: it takes no parameters, but '{text}' gives '{part}'.");
            }
            var parameter = method.Parameter(key)
                ?? throw new UserError(equals < 0
                    ? $"{option} {name}: '{part}' must be written key=value (only the first parameter, {method.Parameters[0].Name}, may be given bare); its parameters: {string.Join(", ", method.Parameters.Select(p => p.Name))}."
                    : $"{option} {name}: '{key}' is not one of its parameters ({string.Join(", ", method.Parameters.Select(p => p.Name))}).");
            if (!given.TryAdd(parameter.Name, parameter.Canonical(value, name, option)))
            {
                throw new UserError($"{option} {name}: {parameter.Name} is given more than once.");
            }
        }
        return new LossSpec { Name = name, Parameters = given.Count == 0 ? null : given };
    }

    /// <summary>A number parameter of the ordinal method: the value given, else its default.</summary>
    /// <param name="name">The parameter, e.g. "alpha".</param>
    public double Number(string name) => double.Parse(Value(name), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>A word parameter of the ordinal method (e.g. sord's distance): the value given, else its default.</summary>
    /// <param name="name">The parameter, e.g. "distance".</param>
    public string Word(string name) => Value(name);

    /// <summary>The target shape of a soft-label loss (sord, gaussian, ...); null for the others.</summary>
    public SoftLabelShape? Shape() => Method?.Shape?.Invoke(this);

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
        Name is "emd" or "sinkhorn" or "tree" && SoftLabelsText is null && !distributionTargets
            ? $"{Name} is a loss for target distributions, and these targets are hard labels (one class per row, one-hot): on real ordinal tables such runs pick a best epoch among the first few and give the worst QWK. For class labels use emd2 or gd-emd (exact for them), or give {Name} soft labels with --soft-labels gaussian:1."
            : null;

    /// <summary>The CE warm-up epochs in effect.</summary>
    public int WarmupEpochs => Warmup ?? (UsesLearner ? 2 : 0);

    /// <summary>Whether cross-entropy trains alone for <see cref="WarmupEpochs"/> epochs before this loss joins it.</summary>
    public bool HasWarmup => WarmupEpochs > 0 && Name is not ("ce" or "regression");

    /// <summary>Checks the settings that do not depend on the data; <paramref name="option"/> names the loss (--loss or --losses).</summary>
    public void CheckOptions(string option = "--loss")
    {
        var method = Method ?? throw NotALoss(Name, option);
        foreach (var (key, value) in Parameters ?? new Dictionary<string, string>())
        {
            var parameter = method.Parameter(key) ?? throw new UserError($"{option} {Name}: '{key}' is not one of its parameters{(method.Parameters.Count == 0 ? " (it takes none)" : $" ({string.Join(", ", method.Parameters.Select(p => p.Name))})")}.");
            parameter.Canonical(value, Name, option);
        }
        if (HasThresholdHead && Warmup is > 0)
        {
            throw new UserError($"--warmup {Warmup}: {Name}'s model has C - 1 outputs, not the C class logits of a cross-entropy warm-up; leave --warmup out.");
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
        if (SoftLabelShapeName is { } shapeText)
        {
            SoftLabels.ParseShape(shapeText);
        }
        if (SoftLabelsText is not null && !TakesSoftTargets)
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
        if (SoftLabelShapeName is { } shapeText)
        {
            SoftLabels.CheckShape(SoftLabels.ParseShape(shapeText), classes);
        }
        if (distributionTargets && SoftLabelsText is not null)
        {
            throw new UserError("--soft-labels makes distributions from class labels, but the data has target distributions already (--target-columns or --aggregate-by); leave it out.");
        }
        if (Shape() is { } shape)
        {
            SoftLabels.CheckShape(this, classes, option);
        }
        if (HasThresholdHead && classes < 2)
        {
            throw new UserError($"{option} {Name} needs at least 2 classes.");
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
        if (Method is { Parameters.Count: > 0 } method)
        {
            parts.AddRange(method.Parameters.Select(p => $"{p.Name}={Value(p.Name)}"));
        }
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
        if (SoftLabelsText is { } softLabels)
        {
            parts.Add($"soft labels {softLabels}");
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

    private static UserError NotALoss(string name, string option)
    {
        string? near = Suggestions.Nearest(name, Names);
        return new UserError($"{option}: '{name}' is not a loss; {(near is null ? "" : $"did you mean {near}? ")}choose one of {string.Join(", ", Names)} (earthmover losses lists them).");
    }

    // A parameter's value as given, else its default; a name the method does not have is a programming error.
    private string Value(string name)
    {
        var parameter = Method?.Parameter(name) ?? throw new ArgumentException($"{Name} has no parameter '{name}'.", nameof(name));
        return Parameters is { } given && given.TryGetValue(name, out var value) ? value : parameter.Default;
    }
}
