using System.Globalization;
using EarthMover.Cli.Training;
using Spectre.Console;

namespace EarthMover.Cli.Commands;

/// <summary>
/// Shows training progress: on a terminal, a Spectre.Console progress bar per epoch whose line keeps the
/// epoch's loss and validation metrics; elsewhere (CI logs, pipes, tests) one plain line per epoch.
/// </summary>
internal static class ProgressDisplay
{
    public static T Run<T>(IAnsiConsole console, bool quiet, Func<ITrainingProgress, T> work)
    {
        if (quiet)
        {
            return work(NoProgress.Instance);
        }
        if (!console.Profile.Capabilities.Interactive)
        {
            return work(new Lines(console));
        }
        T result = default!;
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context => result = work(new Bars(context)));
        return result;
    }

    private static string Summary(EpochRecord r, bool best) => string.Create(
        CultureInfo.InvariantCulture,
        $"loss {r.TrainLoss:0.0000}  val MAE {r.ValidationMae:0.0000}  acc {r.ValidationAccuracy:0.0000}  QWK {r.ValidationQwk:0.000}  {r.Seconds:0.0} s{(best ? "  (best)" : "")}");

    private sealed class Bars(ProgressContext context) : ITrainingProgress
    {
        private ProgressTask? _task;
        private string _label = "";

        public void EpochStarted(int epoch, int epochs, int batches)
        {
            _label = $"epoch {epoch + 1}/{epochs}";
            _task = context.AddTask(_label, maxValue: batches);
        }

        public void BatchDone(int batch, double loss)
        {
            _task!.Value = batch;
            _task.Description = string.Create(CultureInfo.InvariantCulture, $"{_label}  loss {loss:0.0000}");
        }

        public void EpochDone(EpochRecord record, bool best)
        {
            _task!.Value = _task.MaxValue;
            _task.Description = Markup.Escape($"{_label}  {Summary(record, best)}");
            _task.StopTask();
        }

        public void Message(string text) => context.AddTask(Markup.Escape(text), autoStart: false, maxValue: 1).Value = 1;
    }

    private sealed class Lines(IAnsiConsole console) : ITrainingProgress
    {
        private string _label = "";

        public void EpochStarted(int epoch, int epochs, int batches) => _label = $"epoch {epoch + 1}/{epochs}";

        public void BatchDone(int batch, double loss)
        {
        }

        public void EpochDone(EpochRecord record, bool best) => console.WriteLine($"{_label}  {Summary(record, best)}");

        public void Message(string text) => console.WriteLine(text);
    }
}
