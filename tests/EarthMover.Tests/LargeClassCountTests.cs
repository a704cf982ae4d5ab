using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Tests;

/// <summary>
/// The paths that only large class counts take, against float64 brute force written here: the learner's float32
/// Gram matrix above 64 classes (docs/math.md §5), and the XEMD ranks on several threads from 256 classes (§4).
/// </summary>
public class LargeClassCountTests
{
    [Theory]
    [InlineData(65, 8)]
    [InlineData(100, 16)]
    [InlineData(300, 12)]
    public void Learned_distance_and_weights_above_64_classes_equal_a_float64_brute_force(int classes, int features)
    {
        var random = new Random(classes);
        int samples = 3 * classes;
        var f = new double[samples][];
        var labels = new long[samples];
        for (int i = 0; i < samples; i++)
        {
            labels[i] = i % classes;
            // Post-ReLU-like features with a class-dependent part, so that centroids differ.
            f[i] = Enumerable.Range(0, features).Select(j => Math.Max(0, random.NextDouble() + (j == labels[i] % features ? 1 : 0))).ToArray();
        }
        using var learner = new GroundDistanceLearner(classes, features);
        using (var batch = torch.tensor(f.SelectMany(r => r).ToArray(), samples, features, dtype: ScalarType.Float32))
        using (var batchLabels = torch.tensor(labels))
        {
            learner.Accumulate(batch, batchLabels);
        }
        learner.EndEpoch();

        // Centroids of L1-normalised features, from the float32 features the learner saw.
        var centroids = new double[classes, features];
        var counts = new int[classes];
        foreach (var (row, k) in f.Zip(labels))
        {
            var stored = row.Select(v => (double)(float)v).ToArray();
            double norm = stored.Sum(Math.Abs);
            counts[k]++;
            for (int j = 0; j < features; j++)
            {
                centroids[k, j] += stored[j] / norm;
            }
        }
        var distance = new double[classes, classes];
        double largest = 0;
        for (int a = 0; a < classes; a++)
        {
            for (int b = 0; b < classes; b++)
            {
                double squared = 0;
                for (int j = 0; j < features; j++)
                {
                    double d = centroids[a, j] / counts[a] - centroids[b, j] / counts[b];
                    squared += d * d;
                }
                distance[a, b] = Math.Sqrt(squared);
                largest = Math.Max(largest, distance[a, b]);
            }
        }
        var learned = learner.Distance;
        for (int a = 0; a < classes; a++)
        {
            Assert.Equal(0, learned[a, a]);
            for (int b = 0; b < classes; b++)
            {
                // float32 products: about 1e-7 of the squared norms, far below the gaps between these distances.
                Assert.Equal(distance[a, b], learned[a, b], 1e-5 * largest);
                Assert.Equal(learned[a, b], learned[b, a]);
            }
        }
        // W from the learner's own D: percentile ranks are not continuous in D, and float32 products may order two
        // distances within 1e-7 of each other differently from float64 (as under DOTNET_EnableAVX=0 with 300 classes).
        var expected = BruteForceWeights(learned.ToArray(), mu: 0.5, power: 1);
        var weights = learner.Weights(XemdPreset.Xemd1);
        for (int a = 0; a < classes; a++)
        {
            for (int b = 0; b < classes; b++)
            {
                Assert.Equal(expected[a, b], weights[a, b], 1e-12);
            }
        }
    }

    [Theory]
    [InlineData(256, Ties.None)]
    [InlineData(300, Ties.None)]
    [InlineData(300, Ties.Equal)]
    [InlineData(300, Ties.BelowFloat32)]
    [InlineData(1000, Ties.BelowFloat32)]
    public void Weights_on_several_threads_equal_a_single_threaded_brute_force(int classes, Ties ties)
    {
        var random = new Random(classes + (int)ties);
        var values = new double[classes, classes];
        for (int i = 0; i < classes; i++)
        {
            for (int j = 0; j < i; j++)
            {
                double d = ties switch
                {
                    // Small integers, so that every row has runs of equal distances.
                    Ties.Equal => random.Next(1, 20),
                    // Runs of distinct values that round to one float32 (the radix sort's keys), some of them equal.
                    Ties.BelowFloat32 => random.Next(1, 4) + random.Next(0, 6) * 1e-12,
                    _ => random.NextDouble() * 10,
                };
                values[i, j] = d;
                values[j, i] = d;
            }
        }
        int threads = torch.get_num_threads();
        try
        {
            // The rows are split over torch's thread count: make sure there are several.
            torch.set_num_threads(Math.Max(threads, 3));
            foreach (var preset in new[] { XemdPreset.Xemd1, XemdPreset.Xemd2 })
            {
                var weights = XemdWeights.FromDistance(GroundDistance.FromMatrix(values), preset);
                var expected = BruteForceWeights(values, preset.Mu, preset.Power);
                for (int i = 0; i < classes; i++)
                {
                    for (int j = 0; j < classes; j++)
                    {
                        Assert.Equal(expected[i, j], weights[i, j], 1e-14);
                    }
                }
            }
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }

    /// <summary>How the rows of the distance matrix tie.</summary>
    public enum Ties
    {
        /// <summary>Random reals: no ties.</summary>
        None,

        /// <summary>Small integers: runs of equal values.</summary>
        Equal,

        /// <summary>Values closer than float32 can tell apart, so that only float64 orders them.</summary>
        BelowFloat32,
    }

    /// <summary>
    /// The authors' W by counting, as SciPy's percentileofscore(kind='rank') defines the rank of each entry within its
    /// row: (#less + #less-or-equal + 1) / (2n), to the power w, symmetrised, minus mu, diagonal 1.
    /// </summary>
    private static double[,] BruteForceWeights(double[,] distance, double mu, double power)
    {
        int n = distance.GetLength(0);
        var ranks = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                int less = 0, lessOrEqual = 0;
                for (int m = 0; m < n; m++)
                {
                    less += distance[i, m] < distance[i, j] ? 1 : 0;
                    lessOrEqual += distance[i, m] <= distance[i, j] ? 1 : 0;
                }
                ranks[i, j] = Math.Pow((less + lessOrEqual + 1) / (2.0 * n), power);
            }
        }
        var weights = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                weights[i, j] = i == j ? 1 : (ranks[i, j] + ranks[j, i]) / 2 - mu;
            }
        }
        return weights;
    }
}
