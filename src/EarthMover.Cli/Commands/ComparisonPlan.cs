using System.Reflection;
using System.Text.Json;
using EarthMover.Cli.Reports;
using EarthMover.Training.Data;

namespace EarthMover.Cli.Commands;

/// <summary>
/// A comparison written down as a list of independent trainings (compare --plan), so that each can run as one
/// job of a Slurm array or a Kubernetes Indexed Job (compare --run-folder F --job K) and --collect can build
/// the tables from their results. Saved as plan.json in the comparison's folder. It records the program's
/// version and the data's absolute path and SHA-256, so that a job refuses to run with another program or on
/// other data than the plan was written for.
/// </summary>
/// <param name="Program">"earthmover".</param>
/// <param name="Version">The version of the program that wrote the plan (<see cref="ProgramVersion"/>).</param>
/// <param name="Dataset">The dataset's name in the tables.</param>
/// <param name="Classes">The classes, lowest first.</param>
/// <param name="Samples">The samples the data had when the plan was written.</param>
/// <param name="Data">The data options as given on the command line.</param>
/// <param name="DataPath">The absolute path the data is read from (null for the embedded diamonds).</param>
/// <param name="LabelsPath">The absolute path of the labels file of IDX images, if any.</param>
/// <param name="DataSha256">The data's SHA-256, as a run records it (null for the embedded diamonds, which the version fixes).</param>
/// <param name="Train">The training options (the seed of folds).</param>
/// <param name="Seeds">The seeds of the rounds (without --folds).</param>
/// <param name="Folds">k of k-fold cross-validation, or null.</param>
/// <param name="Rounds">"seed 1", ... or "fold 1", ...</param>
/// <param name="Losses">The losses, the baseline first.</param>
/// <param name="Trainings">Every training, by index.</param>
/// <param name="DataNotes">What reading the data did (rows dropped or imputed, columns used), for the tables --collect writes.</param>
internal sealed record ComparisonPlan(
    string Program,
    string Version,
    string Dataset,
    IReadOnlyList<string> Classes,
    int Samples,
    DataOptions Data,
    string? DataPath,
    string? LabelsPath,
    string? DataSha256,
    TrainOptions Train,
    IReadOnlyList<int> Seeds,
    int? Folds,
    IReadOnlyList<string> Rounds,
    IReadOnlyList<LossSpec> Losses,
    IReadOnlyList<PlannedTraining> Trainings,
    IReadOnlyList<string>? DataNotes = null)
{
    public const string FileName = "plan.json";

    /// <summary>The program's version as --version prints it (with the source revision it was built from, when known).</summary>
    public static string ProgramVersion { get; } =
        typeof(ComparisonPlan).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ComparisonPlan).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>The plan of a comparison whose options have all been checked; trainings in the order an in-process compare runs them.</summary>
    public static ComparisonPlan Create(Dataset data, DataOptions dataOptions, IReadOnlyList<LossSpec> losses, TrainOptions train, IReadOnlyList<int> seeds, int? folds)
    {
        var rounds = Comparison.RoundNames(seeds, folds);
        var splits = Comparison.RoundSplits(data, train, seeds, folds);
        var trainings = new List<PlannedTraining>();
        for (int r = 0; r < rounds.Length; r++)
        {
            for (int l = 0; l < losses.Count; l++)
            {
                trainings.Add(new PlannedTraining(
                    trainings.Count,
                    l,
                    losses[l].Describe(),
                    r,
                    rounds[r],
                    folds is null ? seeds[r] : null,
                    folds is null ? null : r + 1,
                    ComparisonRun.FolderName(l, losses[l], rounds[r]),
                    losses[l],
                    splits[r].Options));
            }
        }
        return new ComparisonPlan(CliApp.Name, ProgramVersion, data.Name, data.ClassNames, data.Count, dataOptions, data.Files?.Path, data.Files?.LabelsPath, data.Files?.Sha256, train, seeds, folds, rounds, losses, trainings, data.Notes);
    }

    /// <summary>Writes plan.json and says so; the last line is "trainings: N", for scripts that size a job array from it.</summary>
    public void Write(RunFolder folder, TextWriter output)
    {
        folder.WriteText(FileName, JsonSerializer.Serialize(this, RunConfig.Json));
        output.WriteLine($"plan: {folder.PathOf(FileName)} ({Dataset}; {Plural.Of(Losses.Count, "loss", "losses")} x {Plural.Of(Rounds.Count, "round")})");
        output.WriteLine($"trainings: {Trainings.Count}");
    }

    /// <summary>
    /// The plan in <paramref name="folder"/>, refused (one line) if it is missing or unreadable or was written by
    /// another version of the program.
    /// </summary>
    public static ComparisonPlan Read(RunFolder folder, string option)
    {
        string path = folder.PathOf(FileName);
        if (!File.Exists(path))
        {
            throw new UserError($"{option} {folder.Given}: there is no {FileName} in it; write one with: {CliApp.Name} compare <options> --plan -o {folder.Given}");
        }
        ComparisonPlan? plan;
        try
        {
            plan = JsonSerializer.Deserialize<ComparisonPlan>(File.ReadAllText(path), RunConfig.Json);
        }
        catch (JsonException e)
        {
            throw new UserError($"{option} {folder.Given}: {FileName} is not a comparison plan ({e.Message.Split('\n')[0].Trim()}).");
        }
        if (plan is null || plan.Program != CliApp.Name || !plan.IsConsistent())
        {
            throw new UserError($"{option} {folder.Given}: {FileName} is not a comparison plan written by {CliApp.Name} compare --plan.");
        }
        if (plan.Version != ProgramVersion)
        {
            throw new UserError($"{option} {folder.Given}: the plan was written by {CliApp.Name} {plan.Version}, and this is {CliApp.Name} {ProgramVersion}; run every step with the same program (or write the plan again).");
        }
        return plan;
    }

    // Whether the trainings are the losses x rounds they claim to be, in order, each with the run folder its
    // loss and round give: a job deletes and rewrites that folder, so it must never come from an edited file.
    private bool IsConsistent()
    {
        if (Trainings is null || Losses is null || Rounds is null || Seeds is null || Train is null || Data is null || Classes is null
            || Trainings.Count != Losses.Count * Rounds.Count || !Rounds.SequenceEqual(Comparison.RoundNames(Seeds, Folds)))
        {
            return false;
        }
        return Trainings.Select((t, i) => t is not null && t.Index == i && t.Round == i / Losses.Count && t.Loss == i % Losses.Count
            && LossSpec.Names.Contains(t.Spec.Name) && t.RoundName == Rounds[t.Round]
            && t.Folder == ComparisonRun.FolderName(t.Loss, t.Spec, t.RoundName)).All(ok => ok);
    }

    /// <summary>The plan's data, read from the absolute path it recorded; refused (one line) if the file there has changed since.</summary>
    public Dataset LoadData()
    {
        var data = DataSource.Load(Data with { SourcePath = DataPath, LabelsPath = LabelsPath });
        if (data.Files?.Sha256 != DataSha256)
        {
            throw new UserError($"the data at {DataPath} has changed since the plan was written (SHA-256 {Short(DataSha256)}, now {Short(data.Files?.Sha256)}); write the plan again.");
        }
        if (data.Count != Samples || !data.ClassNames.SequenceEqual(Classes))
        {
            throw new UserError($"the data at {DataPath ?? Data.Source} now gives {data.Count} samples of {data.ClassNames.Length} classes, the plan {Samples} of {Classes.Count}; write the plan again.");
        }
        return data;
    }

    /// <summary>The command that (re)runs training <paramref name="index"/> of the plan in <paramref name="folder"/>.</summary>
    public static string RerunCommand(RunFolder folder, int index) => $"{CliApp.Name} compare --run-folder {folder.FullPath} --job {index}";

    private static string Short(string? hash) => hash is null ? "none" : hash[..Math.Min(12, hash.Length)];
}
