using EarthMover.Kernels;
using EarthMover.Kernels.Rows;

namespace EarthMover.Engine;

/// <summary>
/// The one path every loss call takes (docs/architecture.md): checks, dispatch to the fused CPU kernel or to
/// the tensor-operation form, weights and reduction, and the graph for second derivatives.
/// </summary>
internal static class LossEngine
{
    /// <summary>The loss of one call.</summary>
    /// <param name="loss">The loss's definition, its options checked.</param>
    /// <param name="input">N x C logits or probabilities.</param>
    /// <param name="target">N class indices, or N x C distributions where the loss accepts them.</param>
    /// <param name="weight">Per-class weights (C), or null; class-index targets only.</param>
    /// <param name="sampleWeight">Per-sample weights (N), or null.</param>
    /// <param name="reduction">Mean, Sum or None.</param>
    /// <param name="inputType">What <paramref name="input"/> holds.</param>
    /// <param name="backend">Which implementation (Auto outside the tests and benchmarks).</param>
    public static Tensor Run(
        LossDefinition loss,
        Tensor input,
        Tensor target,
        Tensor? weight,
        Tensor? sampleWeight,
        nn.Reduction reduction,
        EmdInput inputType,
        LossBackend backend = LossBackend.Auto)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (!Enum.IsDefined(reduction))
        {
            throw new ArgumentException($"reduction = {reduction} is not a Reduction value.", nameof(reduction));
        }
        if (!Enum.IsDefined(inputType))
        {
            throw new ArgumentException($"input_type = {inputType} is not an EmdInput value.", "input_type");
        }
        bool thresholds = loss.InputWidth(2) != 2;
        int width = Check.Input(input, loss.InputWidth(2), thresholds ? loss.Name : null);
        int classes = loss.ClassesOf(width);
        if (inputType == EmdInput.Probabilities && !loss.AcceptsProbabilities)
        {
            throw new ArgumentException($"input_type = Probabilities, but {loss.Name} takes raw scores (logits) only: its outputs are not class probabilities.", "input_type");
        }
        loss.CheckReduction(reduction);
        Check.Target(input, target, loss.AcceptsDistributions, classes);
        Check.SampleWeight(input, sampleWeight);
        Check.ClassWeight(input, target, weight, classes);
        loss.CheckClasses(classes);
        if (!target.is_floating_point())
        {
            loss = loss.ForClassIndices(inputType == EmdInput.Logits);
        }
        if (loss.BatchLevel)
        {
            return RunBatch(loss, input, target, weight, sampleWeight, reduction, inputType == EmdInput.Logits, classes, backend);
        }
        Check.MeanOfEmptyBatch(input, reduction);
        bool gradients = torch.is_grad_enabled();
        if (gradients && target.requires_grad && !loss.DifferentiatesTarget)
        {
            throw new ArgumentException($"target requires a gradient, but {loss.Name} does not differentiate with respect to the target; pass target.detach().", nameof(target));
        }
        bool logits = inputType == EmdInput.Logits;
        bool cpuFloat = input.device_type == DeviceType.CPU && (input.dtype == ScalarType.Float32 || input.dtype == ScalarType.Float64);
        if (backend == LossBackend.Fused && (!cpuFloat || loss.Fused == FusedKind.None))
        {
            throw new ArgumentException($"the fused kernel of {loss.Name} needs a float32 or float64 CPU tensor; input is {input.dtype} on {input.device}.", nameof(input));
        }
        // The fused kernel differentiates with respect to the input alone: a target or weight that needs a gradient
        // of its own goes to the tensor operations, and so does an empty batch (nothing to fuse).
        bool otherGradients = gradients
            && (target.requires_grad || sampleWeight?.requires_grad == true || weight?.requires_grad == true);
        bool fused = loss.Fused switch
        {
            FusedKind.None => false,
            // Where no vector is accelerated, the tensor operations are faster on large batches (KernelWidths).
            FusedKind.RawRow => false,
            FusedKind.Tile => backend == LossBackend.Fused || (backend == LossBackend.Auto && KernelWidths.FusedIsFaster(input.numel())),
            // A row kernel is the solver itself: its tensor form calls it too.
            _ => backend != LossBackend.TensorOps,
        };
        if (cpuFloat && fused && input.size(0) > 0 && !otherGradients)
        {
            return RunFused(loss, input, target, weight, sampleWeight, reduction, logits, classes);
        }
        if (cpuFloat && loss.Fused == FusedKind.RawRow && backend != LossBackend.TensorOps && input.size(0) > 0 && !otherGradients
            && loss.RawRowKernel(classes, logits) is { } raw)
        {
            return RunRaw(loss, raw, input, target, weight, sampleWeight, reduction, logits, classes);
        }
        TensorOpsLosses.CheckValues(input, target, sampleWeight, weight, logits, reduction, classes, loss.ProbabilitiesPerEntry);
        if (input.size(0) == 0)
        {
            // An empty batch: no rows to compute (Sum 0, None empty), still on the graph of every tensor that asked for one.
            return Reduced((x, t, _) => t.dim() == 2 && t.is_floating_point() ? x.sum(1) * 0 + t.sum(1).to(x.dtype) * 0 : x.sum(1) * 0, input, target, weight, sampleWeight, reduction, logits);
        }
        if (loss.HasSecondOrderForm && gradients && input.requires_grad && !otherGradients)
        {
            // First derivatives from the cheap form, second derivatives (if asked for) from the exact one.
            var first = new TensorFormLoss(loss, target, weight, sampleWeight, reduction, logits);
            return FusedLossFunction.Apply(input, first, SecondOrder(loss, input, target, weight, sampleWeight, reduction, logits));
        }
        return Reduced(loss.TensorRows, input, target, weight, sampleWeight, reduction, logits, loss);
    }

    private static Tensor RunFused(LossDefinition loss, Tensor input, Tensor target, Tensor? weight, Tensor? sampleWeight, nn.Reduction reduction, bool logits, int classes)
    {
        var combined = LossWeights.Combine(target, weight, sampleWeight, classes, reduction);
        using var weights = combined is null ? null : torch.tensor(combined, dtype: ScalarType.Float64);
        var contiguous = input.is_contiguous() ? input : input.contiguous();
        bool single = input.dtype == ScalarType.Float32;
        FusedLoss fused = loss.Fused == FusedKind.Tile
            ? single
                ? LossDispatch.Fused(loss.TileKernel<float>(classes), target, weights, reduction, logits, FusedOptions.Default)
                : LossDispatch.Fused(loss.TileKernel<double>(classes), target, weights, reduction, logits, FusedOptions.Default)
            : single
                ? new RowLoss<float>(loss.RowKernel(classes), target, weights, reduction, logits)
                : new RowLoss<double>(loss.RowKernel(classes), target, weights, reduction, logits);
        return FusedLossFunction.Apply(contiguous, fused, SecondOrder(loss, input, target, weight, sampleWeight, reduction, logits));
    }

    private static Tensor RunRaw(LossDefinition loss, IRawRowKernel kernel, Tensor input, Tensor target, Tensor? weight, Tensor? sampleWeight, nn.Reduction reduction, bool logits, int classes)
    {
        var combined = LossWeights.Combine(target, weight, sampleWeight, classes, reduction);
        using var weights = combined is null ? null : torch.tensor(combined, dtype: ScalarType.Float64);
        // A mean over terms (CORN) counts at least one term per sample, so a positive total weight (checked) suffices.
        var contiguous = input.is_contiguous() ? input : input.contiguous();
        FusedLoss fused = input.dtype == ScalarType.Float32
            ? new RawRowLoss<float>(kernel, target, weights, reduction, logits)
            : new RawRowLoss<double>(kernel, target, weights, reduction, logits);
        return FusedLossFunction.Apply(contiguous, fused, SecondOrder(loss, input, target, weight, sampleWeight, reduction, logits));
    }

    private static Tensor RunBatch(LossDefinition loss, Tensor input, Tensor target, Tensor? weight, Tensor? sampleWeight, nn.Reduction reduction, bool logits, int classes, LossBackend backend)
    {
        if (input.size(0) == 0)
        {
            throw new ArgumentException($"input has no rows (shape {Check.Shape(input)}): {loss.Name} is a batch-level quantity, undefined on an empty batch; skip the batch.", nameof(input));
        }
        bool cpuFloat = input.device_type == DeviceType.CPU && (input.dtype == ScalarType.Float32 || input.dtype == ScalarType.Float64);
        if (backend == LossBackend.Fused && !cpuFloat)
        {
            throw new ArgumentException($"the fused kernel of {loss.Name} needs a float32 or float64 CPU tensor; input is {input.dtype} on {input.device}.", nameof(input));
        }
        bool otherGradients = torch.is_grad_enabled() && (sampleWeight?.requires_grad == true || weight?.requires_grad == true);
        if (cpuFloat && logits && backend != LossBackend.TensorOps && !otherGradients && loss.BatchTerms(classes, reduction) is { } terms)
        {
            return RunBatchKernel(loss, terms, input, target, weight, sampleWeight, reduction, classes);
        }
        // The sample weights must have a positive total whatever the reduction: they divide every batch-level term.
        TensorOpsLosses.CheckValues(input, target, sampleWeight, null, logits, nn.Reduction.Mean, classes, loss.ProbabilitiesPerEntry);
        if (weight is not null)
        {
            using var values = weight.detach().to(ScalarType.Float64, torch.CPU).contiguous();
            LossValidation.CheckWeights(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(values.bytes).ToArray(), "weight");
        }
        using var scope = torch.NewDisposeScope();
        return loss.BatchLoss(input, target, weight, sampleWeight, reduction, logits).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A batch-level loss of logits by its two-pass CPU kernel: the weights checked on the host (finite, ≥ 0, sample
    /// weights with a positive total), the input and targets as the kernel reads them; second derivatives from the
    /// tensor form.
    /// </summary>
    private static Tensor RunBatchKernel(LossDefinition loss, Losses.Ordinal.BatchTerms terms, Tensor input, Tensor target, Tensor? weight, Tensor? sampleWeight, nn.Reduction reduction, int classes)
    {
        int rows = checked((int)input.size(0));
        double[]? perSample = sampleWeight is null ? null : TensorMemory.ReadWeights(sampleWeight, rows);
        if (perSample is not null && !(perSample.Sum() > 0))
        {
            throw LossWeights.ZeroTotal("sample_weight");
        }
        double[]? perClass = null;
        if (weight is not null)
        {
            using var values = weight.detach().to(ScalarType.Float64, torch.CPU).contiguous();
            perClass = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(values.bytes).ToArray();
            LossValidation.CheckWeights(perClass, "weight");
        }
        var contiguous = input.is_contiguous() ? input : input.contiguous();
        FusedLoss fused = input.dtype == ScalarType.Float32
            ? new Losses.Ordinal.BatchSoftmaxLoss<float>(terms, classes, target, perClass, perSample, reduction)
            : new Losses.Ordinal.BatchSoftmaxLoss<double>(terms, classes, target, perClass, perSample, reduction);
        var reference = new FusedLossFunction.Reference(input, () =>
        {
            using var scope = torch.NewDisposeScope();
            return loss.BatchLoss(input, target, weight, sampleWeight, reduction, logits: true).MoveToOuterDisposeScope();
        });
        return FusedLossFunction.Apply(contiguous, fused, reference);
    }

    /// <summary>Under create_graph the backward pass differentiates the loss's second-order form on the same input.</summary>
    private static FusedLossFunction.Reference SecondOrder(LossDefinition loss, Tensor input, Tensor target, Tensor? weight, Tensor? sampleWeight, nn.Reduction reduction, bool logits) =>
        new(input, () => Reduced(loss.SecondOrderRows, input, target, weight, sampleWeight, reduction, logits, loss));

    /// <summary>The rows of a tensor-operation form, weighted and reduced (docs/math.md §7).</summary>
    public static Tensor Reduced(Func<Tensor, Tensor, bool, Tensor> rows, Tensor input, Tensor target, Tensor? weight, Tensor? sampleWeight, nn.Reduction reduction, bool logits) =>
        Reduced(rows, input, target, weight, sampleWeight, reduction, logits, null);

    /// <summary>As above, with the mean's denominator counting each sample's terms (<see cref="LossDefinition.MeanCounts"/>).</summary>
    public static Tensor Reduced(Func<Tensor, Tensor, bool, Tensor> rows, Tensor input, Tensor target, Tensor? weight, Tensor? sampleWeight, nn.Reduction reduction, bool logits, LossDefinition? loss)
    {
        using var scope = torch.NewDisposeScope();
        var perRow = rows(input, target, logits);
        var perSample = TensorOpsLosses.Weights(target, weight, sampleWeight, perRow.dtype);
        if (reduction == nn.Reduction.Mean && loss is not null && target.dim() == 1
            && loss.MeanCounts(target, loss.ClassesOf((int)input.size(1)), perRow.dtype) is { } counts)
        {
            var v = perSample ?? torch.ones_like(perRow);
            return ((perRow * v).sum() / (v * counts.to(perRow.device)).sum()).MoveToOuterDisposeScope();
        }
        return TensorOpsLosses.Reduce(perRow, perSample, reduction).MoveToOuterDisposeScope();
    }
}
