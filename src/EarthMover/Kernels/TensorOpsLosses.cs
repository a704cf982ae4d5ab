using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Kernels;

/// <summary>
/// The losses composed of TorchSharp tensor operations, differentiated by autograd. They run on any device
/// and element type (CUDA, half precision), where the fused CPU kernels do not apply. Each returns the
/// per-row loss before sample weights and reduction.
/// </summary>
internal static class TensorOpsLosses
{
    public static Tensor OrdinalRows(Tensor input, Tensor target, double[] gaps, double exponent, double scale, bool root, bool logits)
    {
        using var scope = torch.NewDisposeScope();
        int classes = (int)input.size(1);
        var p = logits ? input.softmax(1) : input;
        var cdf = p.cumsum(1).narrow(1, 0, classes - 1);
        Tensor targetCdf;
        if (target.dim() == 1)
        {
            var positions = torch.arange(classes - 1, dtype: ScalarType.Int64, device: input.device);
            targetCdf = positions.unsqueeze(0).ge(target.to(ScalarType.Int64).unsqueeze(1)).to(input.dtype);
        }
        else
        {
            targetCdf = target.to(input.dtype).cumsum(1).narrow(1, 0, classes - 1);
        }
        var d = cdf - targetCdf;
        var term = exponent == 2 ? d * d : exponent == 1 ? d.abs() : d.abs().pow(exponent);
        var w = torch.tensor(gaps, dtype: input.dtype, device: input.device);
        var rows = (term * w).sum(1) * scale;
        if (root && exponent != 1)
        {
            // Double where: the root's infinite slope at 0 must not reach the graph (0 · ∞ = NaN).
            var positive = rows.gt(0);
            var safe = torch.where(positive, rows, torch.ones_like(rows));
            rows = torch.where(positive, safe.pow(1.0 / exponent), torch.zeros_like(rows));
        }
        return rows.MoveToOuterDisposeScope();
    }

    public static Tensor GroundRows(Tensor input, Tensor target, GroundDistance distance, bool logits)
    {
        using var scope = torch.NewDisposeScope();
        var p = logits ? input.softmax(1) : input;
        // Row k of Dᵀ is column k of D: the cost of moving each class's mass to k.
        var columns = distance.CachedTensor(input.dtype, input.device).t().index_select(0, target.to(ScalarType.Int64));
        return (p * columns).sum(1).MoveToOuterDisposeScope();
    }

    public static Tensor XemdRows(Tensor input, Tensor target, XemdWeights weights, bool logits)
    {
        using var scope = torch.NewDisposeScope();
        int classes = (int)input.size(1);
        var p = logits ? input.softmax(1) : input;
        var index = target.to(ScalarType.Int64);
        var rowsOfW = weights.CachedTensor(input.dtype, input.device).index_select(0, index);
        var t = nn.functional.one_hot(index, classes).to(input.dtype);
        var d = p - t;
        return ((d * d * rowsOfW).sum(1) / classes).MoveToOuterDisposeScope();
    }

    /// <summary>Applies per-sample weights and the reduction, as the fused kernels do.</summary>
    public static Tensor Reduce(Tensor rows, Tensor? weight, nn.Reduction reduction)
    {
        using var scope = torch.NewDisposeScope();
        Tensor result;
        if (weight is null)
        {
            result = reduction switch
            {
                nn.Reduction.Mean => rows.mean(),
                nn.Reduction.Sum => rows.sum(),
                _ => rows.alias(),
            };
        }
        else
        {
            var w = weight.to(rows.dtype, rows.device);
            var weighted = rows * w;
            result = reduction switch
            {
                nn.Reduction.Mean => weighted.sum() / w.sum(),
                nn.Reduction.Sum => weighted.sum(),
                _ => weighted,
            };
        }
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The value checks the fused kernels make as they read, done with tensor operations; each reads a
    /// result back to the host. Skipped when <see cref="LossValidation.CheckValuesOnDevice"/> is off.
    /// </summary>
    public static void CheckValues(Tensor input, Tensor target, Tensor? weight, bool logits)
    {
        if (!LossValidation.CheckValuesOnDevice)
        {
            return;
        }
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        long classes = input.size(1);
        if (target.dim() == 1)
        {
            if (target.min().ToInt64() < 0 || target.max().ToInt64() >= classes)
            {
                throw new ArgumentException($"target holds a value outside the class indices [0, {classes}).", nameof(target));
            }
        }
        else if (!IsDistribution(target))
        {
            throw new ArgumentException($"target rows must be probability distributions: entries >= 0 summing to 1 (within {LossValidation.DistributionTolerance}).", nameof(target));
        }
        if (logits)
        {
            if (!torch.isfinite(input).all().ToBoolean())
            {
                throw new ArgumentException("input holds NaN or infinite logits.", nameof(input));
            }
        }
        else if (!IsDistribution(input))
        {
            throw new ArgumentException($"input rows must be probability distributions: entries >= 0 summing to 1 (within {LossValidation.DistributionTolerance}); pass logits with the default input type.", nameof(input));
        }
        if (weight is not null)
        {
            var w = weight.to(ScalarType.Float64);
            if (!torch.isfinite(w).all().ToBoolean() || w.min().ToDouble() < 0 || !(w.sum().ToDouble() > 0))
            {
                throw new ArgumentException("weight must be finite and >= 0, with a positive sum.", nameof(weight));
            }
        }
    }

    private static bool IsDistribution(Tensor rows)
    {
        var r = rows.to(ScalarType.Float64);
        return torch.isfinite(r).all().ToBoolean()
            && r.min().ToDouble() >= 0
            && (r.sum(1) - 1).abs().max().ToDouble() <= LossValidation.DistributionTolerance;
    }
}
