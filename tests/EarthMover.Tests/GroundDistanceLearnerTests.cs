using EarthMover.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Tests;

/// <summary>The learned ground distance against direct computation and SciPy.</summary>
public class GroundDistanceLearnerTests
{
    [Fact]
    public void Centroids_and_distance_equal_a_direct_computation()
    {
        var random = new Random(3);
        const int classes = 4, features = 6, samples = 40;
        var f = Enumerable.Range(0, samples).Select(_ => Enumerable.Range(0, features).Select(_ => random.NextDouble()).ToArray()).ToArray();
        var labels = Enumerable.Range(0, samples).Select(i => (long)(i % classes)).ToArray();
        using var learner = new GroundDistanceLearner(classes, features);
        // In three batches, as a training loop would feed it.
        for (int start = 0; start < samples; start += 15)
        {
            int count = Math.Min(15, samples - start);
            using var batch = Tensors.Matrix(f.Skip(start).Take(count).ToArray());
            using var batchLabels = Tensors.Indices(labels.Skip(start).Take(count).ToArray());
            learner.Accumulate(batch, batchLabels);
        }
        learner.EndEpoch();

        var expected = new double[classes, features];
        var counts = new int[classes];
        for (int i = 0; i < samples; i++)
        {
            double norm = f[i].Sum(Math.Abs);
            counts[labels[i]]++;
            for (int j = 0; j < features; j++)
            {
                expected[labels[i], j] += f[i][j] / norm;
            }
        }
        using var centroids = learner.Centroids;
        for (int k = 0; k < classes; k++)
        {
            for (int j = 0; j < features; j++)
            {
                Assert.Equal(expected[k, j] / counts[k], centroids[k, j].ToDouble(), 1e-14);
            }
        }
        for (int a = 0; a < classes; a++)
        {
            for (int b = 0; b < classes; b++)
            {
                double squared = 0;
                for (int j = 0; j < features; j++)
                {
                    double diff = expected[a, j] / counts[a] - expected[b, j] / counts[b];
                    squared += diff * diff;
                }
                Assert.Equal(Math.Sqrt(squared), learner.Distance[a, b], 1e-12);
            }
        }
    }

    public static TheoryData<int> Cases() => new(Enumerable.Range(0, ReferenceData.Learner.Cases.Count));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Weights_equal_the_scipy_reference_ties_included(int index)
    {
        var c = ReferenceData.Learner.Cases[index];
        using var learner = new GroundDistanceLearner(c.Classes, c.Features[0].Length);
        using var features = Tensors.Matrix(c.Features);
        using var labels = Tensors.Indices(c.Labels);
        learner.Refit([(features, labels)]);
        for (int i = 0; i < c.Classes; i++)
        {
            for (int j = 0; j < c.Classes; j++)
            {
                Assert.Equal(c.Distance[i][j], learner.Distance[i, j], 1e-12);
                Assert.Equal(c.Xemd1[i][j], learner.Weights(XemdPreset.Xemd1)[i, j], 1e-12);
                Assert.Equal(c.Xemd2[i][j], learner.Weights(XemdPreset.Xemd2)[i, j], 1e-12);
            }
        }
    }

    [Fact]
    public void Classes_whose_means_lie_on_a_line_get_their_neighbours_in_order()
    {
        // Class k's features scatter around the point (k, 10 - k, 5) (all positive, so L1 normalisation keeps
        // their order on a line); the learned D must rank every class's neighbours by |i - k|.
        const int classes = 7;
        var generator = torch.manual_seed(11);
        using var learner = new GroundDistanceLearner(classes, 3);
        for (int batch = 0; batch < 20; batch++)
        {
            using var labels = torch.randint(0, classes, 64, dtype: ScalarType.Int64, generator: generator);
            var k = labels.to(ScalarType.Float64).unsqueeze(1);
            using var means = torch.cat([k, 10 - k, torch.full_like(k, 5.0)], 1);
            using var features = means + torch.randn(64, 3, dtype: ScalarType.Float64, generator: generator) * 0.05;
            learner.Accumulate(features, labels);
        }
        learner.EndEpoch();
        for (int k = 0; k < classes; k++)
        {
            var byDistance = Enumerable.Range(0, classes).OrderBy(j => learner.Distance[k, j]).ToArray();
            var byGap = Enumerable.Range(0, classes).Select(j => Math.Abs(j - k)).ToArray();
            for (int r = 1; r < classes; r++)
            {
                Assert.True(byGap[byDistance[r]] >= byGap[byDistance[r - 1]], $"class {k}: neighbours by D are {string.Join(",", byDistance)}");
            }
        }
    }

    [Fact]
    public void Merging_two_learners_equals_one_learner_over_the_union()
    {
        var c = ReferenceData.Learner.Cases[2];
        using var features = Tensors.Matrix(c.Features);
        using var labels = Tensors.Indices(c.Labels);
        int half = c.Labels.Length / 2;
        using var whole = new GroundDistanceLearner(c.Classes, c.Features[0].Length);
        using var first = new GroundDistanceLearner(c.Classes, c.Features[0].Length);
        using var second = new GroundDistanceLearner(c.Classes, c.Features[0].Length);
        whole.Accumulate(features, labels);
        first.Accumulate(features[..half], labels[..half]);
        second.Accumulate(features[half..], labels[half..]);
        first.Merge(second);
        whole.EndEpoch();
        first.EndEpoch();
        for (int i = 0; i < c.Classes; i++)
        {
            for (int j = 0; j < c.Classes; j++)
            {
                Assert.Equal(whole.Distance[i, j], first.Distance[i, j], 1e-14);
                Assert.Equal(whole.Weights(XemdPreset.Xemd1)[i, j], first.Weights(XemdPreset.Xemd1)[i, j]);
            }
        }
    }

    [Fact]
    public void Save_then_load_gives_the_same_weights()
    {
        var c = ReferenceData.Learner.Cases[4];
        using var features = Tensors.Matrix(c.Features);
        using var labels = Tensors.Indices(c.Labels);
        using var learner = new GroundDistanceLearner(c.Classes, c.Features[0].Length);
        learner.Refit([(features, labels)]);
        var path = Path.Combine(Path.GetTempPath(), $"learner-{Guid.NewGuid():N}.bin");
        try
        {
            learner.save(path);
            using var loaded = new GroundDistanceLearner(c.Classes, c.Features[0].Length);
            loaded.load(path);
            Assert.Equal(learner.Weights(XemdPreset.Xemd2).ToArray(), loaded.Weights(XemdPreset.Xemd2).ToArray());
            Assert.Equal(learner.Distance.ToArray(), loaded.Distance.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Streaming_resets_each_epoch_and_keeps_missing_classes()
    {
        using var learner = new GroundDistanceLearner(3, 2, FeatureNormalization.None);
        learner.Accumulate(torch.tensor(new[] { 1.0, 0, 0, 1, 5, 5 }, 3, 2), torch.tensor(new long[] { 0, 1, 2 }));
        learner.EndEpoch();
        Assert.Empty(learner.MissingClasses);
        Assert.Equal(0, learner.PendingSamples);
        // Epoch 2 sees classes 0 and 1 only: class 2 keeps (5, 5) and is reported.
        learner.Accumulate(torch.tensor(new[] { 3.0, 0, 0, 3 }, 2, 2), torch.tensor(new long[] { 0, 1 }));
        learner.EndEpoch();
        Assert.Equal([2], learner.MissingClasses);
        using var centroids = learner.Centroids;
        Assert.Equal(new[] { 3.0, 0, 0, 3, 5, 5 }, Tensors.ToDoubles(centroids));
        Assert.Equal(Math.Sqrt(18), learner.Distance[0, 1], 12);
    }

    [Fact]
    public void Moving_average_blends_the_centroids_of_successive_epochs()
    {
        using var learner = new GroundDistanceLearner(2, 1, FeatureNormalization.None, momentum: 0.75);
        learner.Accumulate(torch.tensor(new[] { 4.0, 8.0 }, 2, 1), torch.tensor(new long[] { 0, 1 }));
        learner.EndEpoch();
        learner.Accumulate(torch.tensor(new[] { 0.0, 0.0 }, 2, 1), torch.tensor(new long[] { 0, 1 }));
        learner.EndEpoch();
        using var centroids = learner.Centroids;
        Assert.Equal(new[] { 3.0, 6.0 }, Tensors.ToDoubles(centroids));
    }

    [Fact]
    public void Asking_for_the_distance_before_any_data_says_why()
    {
        using var learner = new GroundDistanceLearner(3, 2);
        var before = Assert.Throws<InvalidOperationException>(() => learner.Distance);
        Assert.Contains("no centroid yet", before.Message, StringComparison.Ordinal);
        learner.Accumulate(torch.ones(2, 2), torch.tensor(new long[] { 0, 1 }));
        var unclosed = Assert.Throws<InvalidOperationException>(() => learner.Weights(XemdPreset.Xemd1));
        Assert.Contains("EndEpoch", unclosed.Message, StringComparison.Ordinal);
        learner.EndEpoch();
        var missing = Assert.Throws<InvalidOperationException>(() => learner.Distance);
        Assert.Contains("classes 2", missing.Message, StringComparison.Ordinal);
        Assert.False(learner.IsReady);
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        using var learner = new GroundDistanceLearner(3, 2);
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => learner.Accumulate(torch.ones(2, 5), torch.tensor(new long[] { 0, 1 }))).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => learner.Accumulate(torch.ones(2, 2), torch.tensor(new long[] { 0, 3 }))).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => learner.Accumulate(torch.ones(2, 2), torch.tensor(new long[] { 0 }))).ParamName);
        Assert.Equal("classes", Assert.Throws<ArgumentException>(() => new GroundDistanceLearner(1, 2)).ParamName);
        Assert.Equal("momentum", Assert.Throws<ArgumentException>(() => new GroundDistanceLearner(2, 2, momentum: 1)).ParamName);
    }
}
