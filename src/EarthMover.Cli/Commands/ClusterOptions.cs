using System.CommandLine;

namespace EarthMover.Cli.Commands;

/// <summary>
/// The options of compare that split a comparison into jobs for a cluster: --plan writes the trainings down,
/// --run-folder F --job K runs one, --collect F builds the tables (docs/cluster.md).
/// </summary>
internal sealed class ClusterOptions
{
    public Option<bool> Plan { get; } = new("--plan") { Description = "Write the comparison's trainings to plan.json in --output, without running them, and print their number last (\"trainings: N\"): for a Slurm job array or a Kubernetes Indexed Job." };

    public Option<string?> RunFolder { get; } = new("--run-folder") { Description = "Run one training (--job) of the plan in this folder; it writes jobs/<K>.json there.", HelpName = "folder" };

    public Option<string?> Job { get; } = new("--job") { Description = "With --run-folder: the training to run, 0 to N-1, or 'auto' for SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX. A finished one is skipped unless --force.", HelpName = "K|auto" };

    public Option<string?> Collect { get; } = new("--collect") { Description = "Build compare.md, .json, .csv and the plots from the results of the plan's jobs in this folder; lists the trainings that have none, with the command that reruns each.", HelpName = "folder" };

    public Option<bool> Partial { get; } = new("--partial") { Description = "With --collect: write the tables from the trainings that finished even if some have no result." };

    public IEnumerable<Option> All => [Plan, RunFolder, Job, Collect, Partial];

    /// <summary>
    /// Runs --run-folder/--job or --collect when given (their exit code); null for a comparison to plan or run in
    /// process. Any other option of compare given with them is refused: the plan fixes the comparison.
    /// </summary>
    public int? RunJobOrCollect(ParseResult result, Command compare, CommandOptions o, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        string? runFolder = result.GetValue(RunFolder);
        string? job = result.GetValue(Job);
        string? collect = result.GetValue(Collect);
        bool plan = result.GetValue(Plan);
        if (runFolder is null && collect is null)
        {
            if (job is not null)
            {
                throw new UserError("--job needs --run-folder: the folder of the plan whose training to run.");
            }
            if (result.GetValue(Partial))
            {
                throw new UserError("--partial goes with --collect.");
            }
            return null;
        }
        if (runFolder is not null && collect is not null)
        {
            throw new UserError("--run-folder runs one training and --collect builds the tables: give one of them.");
        }
        if (plan)
        {
            throw new UserError($"--plan writes a plan; {(runFolder is not null ? "--run-folder" : "--collect")} uses one: give one of them.");
        }
        string mode = runFolder is not null ? "--run-folder" : "--collect";
        Option[] allowed = runFolder is not null ? [RunFolder, Job, o.Force, o.Quiet] : [Collect, Partial, o.Quiet];
        if (compare.Options.FirstOrDefault(x => CommandOptions.Given(result, x) && !allowed.Contains(x)) is { } extra)
        {
            throw new UserError($"{extra.Name} does not go with {mode}: the plan fixes the comparison (give the comparison's options to --plan).");
        }
        if (runFolder is not null)
        {
            int index = ComparisonJob.ParseIndex(job ?? throw new UserError("--run-folder needs --job K (0 to N-1) or --job auto."));
            return ComparisonJob.Run(runFolder, index, result.GetValue(o.Force), output, cancel);
        }
        return ComparisonCollect.Run(collect!, result.GetValue(Partial), output, error);
    }

    /// <summary>Refuses what does not go with --plan (the suite).</summary>
    public void CheckPlan(ParseResult result, Option suite)
    {
        if (result.GetValue(Plan) && CommandOptions.Given(result, suite))
        {
            throw new UserError("--plan writes the trainings of one comparison; the suite runs many: give one of them.");
        }
    }
}
