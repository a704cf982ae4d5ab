using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EarthMover.Kernels;

namespace EarthMover;

/// <summary>
/// Adds normalised feature rows into per-class sums in one pass over CPU memory: the streaming learner's hot
/// path, which runs on every training batch and must cost next to nothing (a handful of tensor operations
/// would cost more than the loss itself on a small MLP). The vector loops are in <see cref="FeatureRows"/>.
/// </summary>
internal static unsafe class FeatureSums
{
    /// <summary>Whether the fused path applies: everything on the CPU, float features, contiguous.</summary>
    public static bool Applies(Tensor features, Tensor labels, Tensor sums) =>
        features.device_type == DeviceType.CPU && sums.device_type == DeviceType.CPU
        && (features.dtype == ScalarType.Float32 || features.dtype == ScalarType.Float64)
        && labels.dtype == ScalarType.Int64 && features.is_contiguous() && labels.is_contiguous();

    /// <summary>sums[label] += normalised row; counts[label] += 1. Returns the first out-of-range label's row, or -1.</summary>
    public static long Add(Tensor features, Tensor labels, Tensor sums, Tensor counts, FeatureNormalization normalization)
    {
        int rows = checked((int)features.size(0));
        int width = checked((int)features.size(1));
        int classes = checked((int)sums.size(0));
        var sumValues = MemoryMarshal.Cast<byte, double>(sums.bytes);
        var countValues = MemoryMarshal.Cast<byte, double>(counts.bytes);
        var labelValues = MemoryMarshal.Cast<byte, long>(labels.bytes);
        // Labels first, so that a bad batch changes nothing.
        for (int i = 0; i < rows; i++)
        {
            if ((ulong)labelValues[i] >= (ulong)classes)
            {
                return i;
            }
        }
        if (features.dtype == ScalarType.Float32)
        {
            AddRows(MemoryMarshal.Cast<byte, float>(features.bytes), labelValues, rows, width, sumValues, countValues, normalization);
        }
        else
        {
            AddRows(MemoryMarshal.Cast<byte, double>(features.bytes), labelValues, rows, width, sumValues, countValues, normalization);
        }
        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddRows<T>(ReadOnlySpan<T> features, ReadOnlySpan<long> labels, int rows, int width, Span<double> sums, Span<double> counts, FeatureNormalization normalization)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < rows; i++)
        {
            var row = features.Slice(i * width, width);
            int k = (int)labels[i];
            double norm = normalization switch
            {
                FeatureNormalization.L1 => Math.Max(double.CreateChecked(FeatureRows.Norm(row, squared: false)), double.Epsilon),
                FeatureNormalization.L2 => Math.Max(Math.Sqrt(double.CreateChecked(FeatureRows.Norm(row, squared: true))), double.Epsilon),
                _ => 1.0,
            };
            FeatureRows.AddDivided(row, norm, sums.Slice(k * width, width));
            counts[k] += 1;
        }
    }

    /// <summary>
    /// Closes an epoch on the CPU in one pass: each class seen gets its mean (blended with its previous centroid
    /// when <paramref name="momentum"/> &gt; 0 and it had one), sums and counts return to zero.
    /// </summary>
    /// <returns>The classes not seen in the epoch.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] CloseEpoch(Tensor sums, Tensor counts, Tensor centroids, Tensor known, double momentum)
    {
        int classes = checked((int)sums.size(0));
        int width = checked((int)sums.size(1));
        var sumValues = MemoryMarshal.Cast<byte, double>(sums.bytes);
        var countValues = MemoryMarshal.Cast<byte, double>(counts.bytes);
        var centroidValues = MemoryMarshal.Cast<byte, double>(centroids.bytes);
        var knownValues = MemoryMarshal.Cast<byte, double>(known.bytes);
        var missing = new List<int>();
        for (int k = 0; k < classes; k++)
        {
            var sum = sumValues.Slice(k * width, width);
            var centroid = centroidValues.Slice(k * width, width);
            double count = countValues[k];
            if (count > 0)
            {
                double keep = knownValues[k] > 0 ? momentum : 0;
                double take = (1 - keep) / count;
                for (int j = 0; j < width; j++)
                {
                    centroid[j] = keep * centroid[j] + take * sum[j];
                }
                knownValues[k] = 1;
            }
            else
            {
                missing.Add(k);
            }
            sum.Clear();
            countValues[k] = 0;
        }
        return [.. missing];
    }
}
