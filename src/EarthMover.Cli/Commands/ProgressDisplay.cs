using System.Globalization;
using Spectre.Console;

namespace EarthMover.Cli.Commands;

/// <summary>
/// Shows training progress as a table with one row per finished epoch, under a header line; on a terminal a
/// progress bar for the running epoch sits below it. Every line fits an 80-column terminal.
/// </summary>
internal static class ProgressDisplay
{
    /// <summary>The header of the epoch rows.</summary>
    public const string Header = "    epoch  train loss  val RPS  val MAE  val acc  val QWK     time";

    public static T Run<T>(IAnsiConsole console, bool quiet, Func<ITrainingProgress, T> work)
    {
        if (quiet)
        {
            return work(NoProgress.Instance);
        }
        console.WriteLine(Header);
        if (!console.Profile.Capabilities.Interactive)
        {
            return work(new Lines(console));
        }
        T result = default!;
        console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 24 }, new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context => result = work(new Bars(context, console)));
        return result;
    }

    /// <summary>One finished epoch as a row under <see cref="Header"/>: "best" marks a new best model, "warm-up" an epoch that cannot be chosen.</summary>
    public static string Row(EpochRecord r, int epochs, bool best) => string.Create(
        CultureInfo.InvariantCulture,
        $"{$"{r.Epoch}/{epochs}",9}  {r.TrainLoss,10:0.0000}  {r.ValidationRps,7:0.0000}  {r.ValidationMae,7:0.0000}  {r.ValidationAccuracy,7:0.0000}  {r.ValidationQwk,7:0.000}  {r.Seconds,5:0.0} s{(best ? "  best" : r.Eligible ? "" : "  warm-up")}");

    private sealed class Bars(ProgressContext context, IAnsiConsole console) : ITrainingProgress
    {
        private ProgressTask? _task;
        private string _label = "";
        private int _epochs;

        public void EpochStarted(int epoch, int epochs, int batches)
        {
            _epochs = epochs;
            _label = $"epoch {epoch + 1}/{epochs}";
            _task = context.AddTask(_label, maxValue: Math.Max(1, batches));
        }

        public void BatchDone(int batch, double loss)
        {
            _task!.Value = batch;
            _task.Description = string.Create(CultureInfo.InvariantCulture, $"{_label}  loss {loss:0.0000}");
        }

        public void EpochDone(EpochRecord record, bool best)
        {
            _task!.Value = _task.MaxValue;
            _task.StopTask();
            console.WriteLine(Row(record, _epochs, best));
        }

        public void Message(string text) => console.WriteLine(text);
    }

    private sealed class Lines(IAnsiConsole console) : ITrainingProgress
    {
        private int _epochs;

        public void EpochStarted(int epoch, int epochs, int batches) => _epochs = epochs;

        public void BatchDone(int batch, double loss)
        {
        }

        public void EpochDone(EpochRecord record, bool best) => console.WriteLine(Row(record, _epochs, best));

        public void Message(string text) => console.WriteLine(text);
    }
}
