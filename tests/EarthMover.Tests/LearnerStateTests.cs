using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Tests;

/// <summary>
/// The learner's cached D and W follow its buffers, whatever writes them: a load into a used learner, a load of
/// a model that holds it, load_state_dict, a direct write; and conversions keep its float64 state.
/// </summary>
public class LearnerStateTests
{
    // Three classes on a line at the given positions (features of dimension 1, not normalised): D[0, 2] = last.
    private static GroundDistanceLearner OnLine(double a, double b, double c)
    {
        var learner = new GroundDistanceLearner(3, 1, FeatureNormalization.None);
        using var features = torch.tensor(new[] { a, b, c }, 3, 1);
        using var labels = torch.tensor(new long[] { 0, 1, 2 });
        learner.Accumulate(features, labels);
        learner.EndEpoch();
        return learner;
    }

    private static string TempFile() => Path.Combine(Path.GetTempPath(), $"learner-{Guid.NewGuid():N}.bin");

    [Fact]
    public void Loading_into_a_used_learner_serves_the_loaded_distance_and_weights()
    {
        using var saved = OnLine(0, 1, 2);
        using var used = OnLine(0, 1, 5);
        // Use it first, so that D and both presets' W are cached.
        Assert.Equal(5, used.Distance[0, 2]);
        var before = used.Weights(XemdPreset.Xemd1).ToArray();
        _ = used.Weights(XemdPreset.Xemd2);
        var path = TempFile();
        try
        {
            saved.save(path);
            used.load(path);
            Assert.Equal(2, used.Distance[0, 2]);
            Assert.Equal(saved.Distance.ToArray(), used.Distance.ToArray());
            Assert.Equal(saved.Weights(XemdPreset.Xemd1).ToArray(), used.Weights(XemdPreset.Xemd1).ToArray());
            Assert.Equal(saved.Weights(XemdPreset.Xemd2).ToArray(), used.Weights(XemdPreset.Xemd2).ToArray());
            // The ranks differ too (class 1 is nearer to 0 than to 2 in the used learner, equally far in the saved
            // one): the served W changed, not only D.
            Assert.NotEqual(before, used.Weights(XemdPreset.Xemd1).ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Loading_a_model_that_holds_the_learner_reaches_its_cache()
    {
        using var saved = new Holder(OnLine(0, 1, 2));
        using var used = new Holder(OnLine(0, 1, 5));
        Assert.Equal(5, used.Learner.Distance[0, 2]);
        var path = TempFile();
        try
        {
            saved.save(path);
            used.load(path);
            Assert.Equal(2, used.Learner.Distance[0, 2]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_state_dict_and_direct_writes_into_the_buffers_are_seen()
    {
        using var saved = OnLine(0, 1, 2);
        using var used = OnLine(0, 1, 5);
        Assert.Equal(5, used.Distance[0, 2]);
        used.load_state_dict(saved.state_dict());
        Assert.Equal(2, used.Distance[0, 2]);

        using (torch.no_grad())
        {
            used.get_buffer("centroids")!.copy_(torch.tensor(new[] { 0.0, 3.0, 7.0 }, 3, 1));
        }
        Assert.Equal(7, used.Distance[0, 2]);
        Assert.Equal(4, used.Distance[1, 2]);
    }

    [Fact]
    public void Unchanged_buffers_keep_the_cached_objects()
    {
        using var learner = OnLine(0, 1, 5);
        var distance = learner.Distance;
        var weights = learner.Weights(XemdPreset.Xemd2);
        Assert.Same(distance, learner.Distance);
        Assert.Same(weights, learner.Weights(XemdPreset.Xemd2));
        learner.Accumulate(torch.tensor(new[] { 0.0, 1, 2 }, 3, 1), torch.tensor(new long[] { 0, 1, 2 }));
        // Pending sums do not change the distance; closing the epoch does.
        Assert.Same(distance, learner.Distance);
        learner.EndEpoch();
        Assert.NotSame(distance, learner.Distance);
        Assert.Equal(2, learner.Distance[0, 2]);
    }

    [Fact]
    public void Converting_the_element_type_keeps_the_float64_state_and_its_names()
    {
        using var holder = new Holder(OnLine(0, 1, 5));
        holder.to(ScalarType.Float32);
        holder.to(torch.CPU, ScalarType.Float16);
        var learner = holder.Learner;
        Assert.All(learner.buffers(), b => Assert.Equal(ScalarType.Float64, b.dtype));
        Assert.Equal(["centroids", "counts", "known", "sums"], learner.state_dict().Keys.Order().ToArray());
        Assert.Equal(ScalarType.Float16, holder.Linear.weight!.dtype); // the rest of the model was converted
        // Still learns (the CPU fast path writes float64 sums in place).
        learner.Accumulate(torch.tensor(new[] { 0.0, 1, 3 }, 3, 1, dtype: ScalarType.Float32), torch.tensor(new long[] { 0, 1, 2 }));
        learner.EndEpoch();
        Assert.Equal(3, learner.Distance[0, 2], 12);
    }

    /// <summary>A model that holds a learner as a submodule, as a training program saves it.</summary>
    private sealed class Holder : nn.Module
    {
        public Holder(GroundDistanceLearner learner)
            : base(nameof(Holder))
        {
            Learner = learner;
            Linear = nn.Linear(2, 2);
            register_module("learner", learner);
            register_module("linear", Linear);
        }

        public GroundDistanceLearner Learner { get; }

        public TorchSharp.Modules.Linear Linear { get; }
    }
}
