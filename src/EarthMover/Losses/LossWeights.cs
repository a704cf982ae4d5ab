using System.Runtime.InteropServices;

namespace EarthMover;

/// <summary>
/// The weight of each sample, v_i = sample_weight_i · weight[target_i] (docs/math.md §7), read on the host for
/// the fused CPU kernel, with the checks of the values: finite and ≥ 0, class indices in range where a class
/// weight is looked up, and a positive total where the mean divides by it.
/// </summary>
internal static class LossWeights
{
    /// <summary>The combined weights, or null when neither kind is given.</summary>
    public static double[]? Combine(Tensor target, Tensor? classWeight, Tensor? sampleWeight, int classes, nn.Reduction reduction)
    {
        if (classWeight is null && sampleWeight is null)
        {
            return null;
        }
        double[]? values = null;
        if (sampleWeight is not null)
        {
            values = ReadDoubles(sampleWeight);
            LossValidation.CheckWeights(values, "sample_weight");
        }
        if (classWeight is not null)
        {
            var perClass = ReadDoubles(classWeight);
            LossValidation.CheckWeights(perClass, "weight");
            using var indices = target.to(ScalarType.Int64, torch.CPU).contiguous();
            var k = MemoryMarshal.Cast<byte, long>(indices.bytes);
            values ??= Enumerable.Repeat(1.0, k.Length).ToArray();
            for (int i = 0; i < k.Length; i++)
            {
                if ((ulong)k[i] >= (ulong)classes)
                {
                    throw new ArgumentException($"target[{i}] = {k[i]} is not a class index in [0, {classes}).", nameof(target));
                }
                values[i] *= perClass[k[i]];
            }
        }
        if (reduction == nn.Reduction.Mean && !(values!.Sum() > 0))
        {
            throw ZeroTotal(classWeight is not null && sampleWeight is null ? "weight" : "sample_weight");
        }
        return values;
    }

    /// <summary>What is wrong with a weighted mean whose weights sum to 0.</summary>
    public const string ZeroTotalMessage = "the weights of this batch sum to 0, so the weighted mean is 0/0; give a sample a positive weight, or use Reduction.Sum.";

    /// <summary>The error for a weighted mean whose weights sum to 0 (0/0).</summary>
    public static ArgumentException ZeroTotal(string parameter) => new(ZeroTotalMessage, parameter);

    private static double[] ReadDoubles(Tensor t)
    {
        using var values = t.detach().to(ScalarType.Float64, torch.CPU).contiguous();
        return MemoryMarshal.Cast<byte, double>(values.bytes).ToArray();
    }
}
