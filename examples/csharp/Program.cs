using EarthMover;
using EarthMover.Training;
using EarthMover.Training.Data;

CpuThreading.UsePassiveWaiting();                               // before any TorchSharp call: fair on busy machines
string csv = args.Length > 0 ? args[0] : "hpc_data.csv";        // the repository's data/hpc_data.csv
string folder = args.Length > 1 ? args[1] : "runs/hpc";

// The data by name: the target column and its classes, lowest first; every other column is a feature.
var data = DataSource.Load(new DataOptions { Source = csv, Target = "class", Order = ["VF", "F", "M", "L"] });
Console.WriteLine($"{data.Name}: {data.Count} rows, classes {string.Join(" < ", data.ClassNames)}");

// Train with the squared EMD loss; the run folder keeps a checkpoint of every epoch and the best epoch's model.
var result = new Trainer(data, folder, new EpochLines())
    .Run(new LossSpec { Name = "emd2" }, new TrainOptions { Epochs = 5 });
var test = result.Test[OrdinalDecoder.Argmax];
Console.WriteLine($"best epoch {result.Best.Epoch}: test accuracy {test.ExactAccuracy:F3}, MAE {test.MeanAbsoluteError:F3}, QWK {test.QuadraticWeightedKappa:F3}");

// Load the run, as a service would, and predict a row given by column name.
using var run = TrainedRun.Load(folder);
var row = new Dictionary<string, object?>
{
    ["protocol"] = "E", ["compounds"] = 997, ["input_fields"] = 137, ["iterations"] = 20,
    ["num_pending"] = 0, ["hour"] = 14.2, ["day"] = "Tue",
};
foreach (var p in run.Predict([row]))
{
    Console.WriteLine($"predicted {p.Label}: {string.Join(", ", run.Classes.Zip(p.Probabilities, (c, q) => $"{c} {q:F3}"))}");
}

// Progress: one line per finished epoch.
sealed class EpochLines : ITrainingProgress
{
    public void EpochStarted(int epoch, int epochs, int batches) { }

    public void BatchDone(int batch, double loss) { }

    public void EpochDone(EpochRecord r, bool best) =>
        Console.WriteLine($"epoch {r.Epoch}: train loss {r.TrainLoss:F4}, validation RPS {r.ValidationRps:F4}{(best ? ", best so far" : "")}");

    public void Message(string text) => Console.WriteLine(text);
}
