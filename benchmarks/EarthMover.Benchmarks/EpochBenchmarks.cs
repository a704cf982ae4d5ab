using BenchmarkDotNet.Attributes;
using EarthMover.Training;
using EarthMover.Training.Data;
using EarthMover.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Benchmarks;

/// <summary>
/// One training epoch of the earthmover program's default MLP (128-64, batch 256, Adam) on the embedded
/// diamonds data (target cut, the default 70% training split: 37,758 rows), with cross-entropy and with emd2,
/// on a quiet machine and with one other CPU-bound process per core (<see cref="CompetingLoad"/>), under the
/// program's threading policy. (libtorch's default policy is left to benchmarks/contention.sh: on a busy machine
/// its epochs take tens of seconds each.)
/// </summary>
[Config(typeof(BusyOverQuietConfig))]
[MemoryDiagnoser]
public class EpochBenchmarks : IDisposable
{
    private readonly Dictionary<string, (FeatureClassifier Model, Objective Objective, optim.Optimizer Optimizer)> _runs = [];
    private Tensor _x = null!;
    private Tensor _y = null!;
    private TrainOptions _options = null!;
    private int _epoch;
    private CompetingLoad? _load;

    [ParamsSource(nameof(Loads))]
    public int CompetingProcesses { get; set; }

    /// <summary>None, and one per core.</summary>
    public static IEnumerable<int> Loads() => ContentionBenchmarks.Loads();

    [GlobalSetup]
    public void Setup()
    {
        LossSteps.UseProgramThreading();
        var data = DataSource.Load(new DataOptions());
        _options = new TrainOptions();
        var (train, _, _) = Splits.TrainValidationTest(data.Labels, data.ClassNames.Length, _options.Validation, _options.Test, _options.Seed);
        var encoder = data.Fit(train);
        _x = torch.tensor(data.Encode(encoder, train), train.Length, encoder.Width);
        _y = torch.tensor(train.Select(r => (long)data.Labels[r]).ToArray());
        foreach (var loss in new[] { "ce", "emd2" })
        {
            torch.manual_seed(1);
            var model = new Mlp(encoder.Width, _options.Hidden, data.ClassNames.Length, _options.Dropout);
            var objective = new Objective(new LossSpec { Name = loss }, data.ClassNames.Length, model.FeatureWidth, torch.CPU);
            _runs[loss] = (model, objective, optim.Adam(model.parameters(), lr: _options.LearningRate));
        }
        _load = new CompetingLoad(CompetingProcesses);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _load?.Dispose();
        _load = null;
        foreach (var (model, objective, optimizer) in _runs.Values)
        {
            model.Dispose();
            objective.Dispose();
            optimizer.Dispose();
        }
        _runs.Clear();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true, Description = "epoch, ce")]
    public double CrossEntropy() => Epoch("ce");

    [Benchmark(Description = "epoch, emd2")]
    public double SquaredEmd() => Epoch("emd2");

    private double Epoch(string loss)
    {
        var (model, objective, optimizer) = _runs[loss];
        return Trainer.TrainEpoch(model, objective, optimizer, _x, _y, _options, _epoch++, NoProgress.Instance, CancellationToken.None);
    }
}
