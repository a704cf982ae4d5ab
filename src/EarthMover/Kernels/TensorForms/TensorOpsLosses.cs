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
            rows = Root(rows, exponent);
        }
        return rows.MoveToOuterDisposeScope();
    }

    /// <summary>rows^(1/p), with the gradient (and its derivatives) taken as 0 where a row is 0.</summary>
    public static Tensor Root(Tensor rows, double p)
    {
        using var scope = torch.NewDisposeScope();
        // Double where: the root's infinite slope at 0 must not reach the graph (0 · ∞ = NaN).
        var positive = rows.gt(0);
        var safe = torch.where(positive, rows, torch.ones_like(rows));
        return torch.where(positive, safe.pow(1.0 / p), torch.zeros_like(rows)).MoveToOuterDisposeScope();
    }

    public static Tensor GroundRows(Tensor input, Tensor target, GroundDistance distance, bool logits)
    {
        using var scope = torch.NewDisposeScope();
        var p = logits ? input.softmax(1) : input;
        // Row k of Dᵀ is column k of D: the cost of moving each class's mass to k.
        var columns = distance.CachedTensor(input.dtype, input.device).t().index_select(0, target.to(ScalarType.Int64));
        return (p * columns).sum(1).MoveToOuterDisposeScope();
    }

    public static Tensor XemdRows(Tensor input, Tensor target, XemdWeights weights, double scale, bool logits)
    {
        using var scope = torch.NewDisposeScope();
        int classes = (int)input.size(1);
        var p = logits ? input.softmax(1) : input;
        var index = target.to(ScalarType.Int64);
        var rowsOfW = weights.CachedTensor(input.dtype, input.device).index_select(0, index);
        var t = nn.functional.one_hot(index, classes).to(input.dtype);
        var d = p - t;
        return ((d * d * rowsOfW).sum(1) * scale).MoveToOuterDisposeScope();
    }

    /// <summary>The weight of each sample, sample_weight_i · weight[target_i] (docs/math.md §7), or null for none.</summary>
    public static Tensor? Weights(Tensor target, Tensor? classWeight, Tensor? sampleWeight, ScalarType dtype)
    {
        Tensor? perSample = null;
        if (classWeight is not null)
        {
            perSample = classWeight.to(dtype).index_select(0, target.to(ScalarType.Int64));
        }
        if (sampleWeight is not null)
        {
            var s = sampleWeight.to(dtype);
            perSample = perSample is null ? s : perSample * s;
        }
        return perSample;
    }

    /// <summary>Applies the per-sample weights and the reduction, as the fused kernels do (docs/math.md §7).</summary>
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
    /// The value checks the fused kernels make as they read (docs/math.md §8), done with tensor operations on
    /// the input's device. Every check is computed first and the answers are read back together: one host
    /// synchronisation per call. Empty tensors pass (every test is an "all").
    /// </summary>
    public static void CheckValues(Tensor input, Tensor target, Tensor? sampleWeight, Tensor? classWeight, bool logits, nn.Reduction reduction) =>
        CheckValues(input, target, sampleWeight, classWeight, logits, reduction, input.size(1), probabilitiesPerEntry: false);

    /// <summary>As <see cref="CheckValues(Tensor, Tensor, Tensor?, Tensor?, bool, nn.Reduction)"/> for K classes, with probabilities read entry by entry (each in [0, 1]) where <paramref name="probabilitiesPerEntry"/>.</summary>
    public static void CheckValues(Tensor input, Tensor target, Tensor? sampleWeight, Tensor? classWeight, bool logits, nn.Reduction reduction, long classes, bool probabilitiesPerEntry)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var checks = new List<(Tensor Passed, string Parameter, string Message)>();
        Tensor? index = null;
        if (target.dim() == 1)
        {
            index = target.to(ScalarType.Int64);
            checks.Add((index.ge(0).logical_and(index.lt(classes)).all(), nameof(target), $"target holds a value outside the class indices [0, {classes})."));
        }
        else
        {
            checks.Add((IsDistribution(target), nameof(target), $"target rows must be probability distributions: entries >= 0 summing to 1 (within {LossValidation.DistributionTolerance})."));
        }
        if (logits)
        {
            checks.Add((torch.isfinite(input).all(), nameof(input), "input holds NaN or infinite logits."));
        }
        else if (probabilitiesPerEntry)
        {
            checks.Add((input.ge(0).logical_and(input.le(1)).all(), nameof(input), "input holds a value outside [0, 1] (or NaN); with input_type Probabilities each output is a probability (pass logits with the default input type)."));
        }
        else
        {
            checks.Add((IsDistribution(input), nameof(input), $"input rows must be probability distributions: entries >= 0 summing to 1 (within {LossValidation.DistributionTolerance}); pass logits with the default input type."));
        }
        Tensor? perSample = null;
        if (sampleWeight is not null)
        {
            perSample = sampleWeight.to(ScalarType.Float64);
            checks.Add((IsWeight(perSample), "sample_weight", "sample_weight must be finite and >= 0."));
        }
        if (classWeight is not null)
        {
            var perClass = classWeight.to(ScalarType.Float64);
            checks.Add((IsWeight(perClass), "weight", "weight must be finite and >= 0."));
            // Clamped so that a bad index (reported above) cannot read outside the vector here.
            var gathered = perClass.index_select(0, index!.clamp(0, classes - 1));
            perSample = perSample is null ? gathered : perSample * gathered;
        }
        if (perSample is not null && reduction == nn.Reduction.Mean)
        {
            var total = perSample.sum();
            checks.Add((total.gt(0), classWeight is not null && sampleWeight is null ? "weight" : "sample_weight", LossWeights.ZeroTotalMessage));
        }
        var passed = torch.cat(checks.Select(c => c.Passed.reshape(1)).ToArray()).cpu().data<bool>().ToArray();
        for (int i = 0; i < passed.Length; i++)
        {
            if (!passed[i])
            {
                throw new ArgumentException(checks[i].Message, checks[i].Parameter);
            }
        }
    }

    // Finite, >= 0, and each row summing to 1 within the tolerance; a 0-d boolean tensor.
    private static Tensor IsDistribution(Tensor rows)
    {
        var r = rows.to(ScalarType.Float64);
        return torch.isfinite(r).all()
            .logical_and(r.ge(0).all())
            .logical_and((r.sum(1) - 1).abs().le(LossValidation.DistributionTolerance).all());
    }

    private static Tensor IsWeight(Tensor w) => torch.isfinite(w).all().logical_and(w.ge(0).all());
}
