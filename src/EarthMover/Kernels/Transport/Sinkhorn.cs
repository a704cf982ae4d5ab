using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Kernels.Transport;

/// <summary>The one implementation behind the three forms of the Sinkhorn loss.</summary>
internal static class Sinkhorn
{
    /// <summary>How often the marginal error is checked (each check reads a value back from the device).</summary>
    private const int CheckEvery = 10;

    public static Tensor Compute(Tensor input, Tensor target, GroundDistance distance, double epsilon, SinkhornQuantity quantity, int maxIter, double tol, EmdInput inputType, Tensor? sampleWeight, Reduction reduction)
    {
        ArgumentNullException.ThrowIfNull(distance);
        int classes = Check.Input(input);
        Check.Target(input, target, allowSoft: true);
        Check.SampleWeight(input, sampleWeight, "sample_weight");
        Check.Classes(classes, distance.Classes, nameof(distance));
        CheckOptions(epsilon, quantity, maxIter, tol);
        if (!Enum.IsDefined(reduction))
        {
            throw new ArgumentException($"reduction = {reduction} is not a Reduction value.", nameof(reduction));
        }
        if (!Enum.IsDefined(inputType))
        {
            throw new ArgumentException($"input_type = {inputType} is not an EmdInput value.", "input_type");
        }
        Check.MeanOfEmptyBatch(input, reduction);
        bool logits = inputType == EmdInput.Logits;
        TensorOpsLosses.CheckValues(input, target, sampleWeight, null, logits, reduction);
        using var scope = torch.NewDisposeScope();
        // An empty batch: zero rows (the iterations' reductions are not defined on it), still on the graph.
        var rows = input.size(0) == 0
            ? input.sum(1) * 0
            : Rows(input, target, distance, epsilon, quantity, maxIter, tol, logits);
        return TensorOpsLosses.Reduce(rows, sampleWeight, reduction).MoveToOuterDisposeScope();
    }

    public static void CheckOptions(double epsilon, SinkhornQuantity quantity, int max_iter, double tol)
    {
        if (!(epsilon > 0) || double.IsInfinity(epsilon))
        {
            throw new ArgumentException($"epsilon = {epsilon}; the regularisation must be finite and > 0.", nameof(epsilon));
        }
        if (!Enum.IsDefined(quantity))
        {
            throw new ArgumentException($"quantity = {quantity} is not a SinkhornQuantity value.", nameof(quantity));
        }
        if (max_iter < 1)
        {
            throw new ArgumentException($"max_iter = {max_iter}; at least one iteration is needed.", nameof(max_iter));
        }
        if (!(tol >= 0) || double.IsInfinity(tol))
        {
            throw new ArgumentException($"tol = {tol}; the tolerance must be finite and >= 0.", nameof(tol));
        }
    }

    /// <summary>The per-row values, with the gradient attached to the input (see the class remarks of each quantity).</summary>
    public static Tensor Rows(Tensor input, Tensor target, GroundDistance distance, double epsilon, SinkhornQuantity quantity, int maxIter, double tol, bool logits)
    {
        using var scope = torch.NewDisposeScope();
        int n = (int)input.size(0), c = (int)input.size(1);
        var dtype = input.dtype is ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        var x = input.to(dtype);
        var p = logits ? x.softmax(1) : x;
        p = p / p.sum(1, keepdim: true);
        var t = target.dim() == 1
            ? nn.functional.one_hot(target.to(ScalarType.Int64), c).to(dtype, input.device)
            : target.to(dtype);
        t = (t / t.sum(1, keepdim: true)).detach();
        var d = distance.CachedTensor(dtype, input.device);

        var a = p.detach();
        var b = t;
        if (quantity == SinkhornQuantity.Divergence)
        {
            // The three problems (p, t), (p, p) and (t, t) in one batch.
            b = torch.cat([t, a, t], 0);
            a = torch.cat([a, a, t], 0);
        }
        bool needGrad = input.requires_grad && torch.is_grad_enabled();
        Tensor value, gradient;
        using (torch.no_grad())
        {
            var mr = d / -epsilon;
            // On the CPU row by row (SinkhornRows: no B x C x C temporaries); elsewhere in tensor operations.
            var (u, v) = SinkhornRows.Applies(a) ? SinkhornRows.Iterate(a, b, mr, maxIter, tol, CheckEvery) : Iterate(a, b, mr, maxIter, tol);
            var logPlan = mr.unsqueeze(0) + u.unsqueeze(2) + v.unsqueeze(1);
            var plan = logPlan.exp();
            var cost = (plan * d).sum([1, 2]);
            var regularized = cost + epsilon * (torch.xlogy(plan, plan) - plan).sum([1, 2]);
            // The potentials without the log-mass term: f~_i = -ε LSE_j(-D_ij/ε + v_j), finite even where p_i = 0.
            var fTilde = torch.logsumexp(mr.unsqueeze(0) + v.unsqueeze(1), 2) * -epsilon;
            switch (quantity)
            {
                case SinkhornQuantity.Cost:
                    value = cost;
                    gradient = needGrad ? CostGradient(plan, d, dtype) : torch.zeros_like(a);
                    break;
                case SinkhornQuantity.Regularized:
                    value = regularized;
                    // f = ε u = f~ + ε log p; at p_i = 0 the slope is -∞, kept finite at ε log(smallest normal).
                    var floor = dtype == ScalarType.Float64 ? 2.2250738585072014E-308 : 1.17549435E-38;
                    gradient = fTilde + epsilon * a.clamp_min(floor).log();
                    break;
                default:
                    var gTilde = torch.logsumexp(mr.unsqueeze(0) + u.unsqueeze(2), 1) * -epsilon;
                    value = regularized.narrow(0, 0, n) - (regularized.narrow(0, n, n) + regularized.narrow(0, 2 * n, n)) * 0.5;
                    // dS/dp = f(p, t) - (f(p, p) + g(p, p)) / 2; the ε log p terms of the three cancel.
                    gradient = fTilde.narrow(0, 0, n) - (fTilde.narrow(0, n, n) + gTilde.narrow(0, n, n)) * 0.5;
                    break;
            }
            gradient = gradient - gradient.mean([1], keepdim: true);
        }
        // The value, with the computed gradient attached to p: the second term is 0 but carries it.
        var rows = value + (gradient * (p - p.detach())).sum(1);
        return rows.to(input.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>Log-domain Sinkhorn: v = log b - LSE_i(Mr_ij + u_i), u = log a - LSE_j(Mr_ij + v_j), as POT's sinkhorn_log.</summary>
    private static (Tensor U, Tensor V) Iterate(Tensor a, Tensor b, Tensor mr, int maxIter, double tol)
    {
        var loga = a.log();
        var logb = b.log();
        var u = torch.zeros_like(a);
        var v = torch.zeros_like(b);
        var kernel = mr.unsqueeze(0);
        for (int i = 0; i < maxIter; i++)
        {
            using var step = torch.NewDisposeScope();
            var newV = logb - torch.logsumexp(kernel + u.unsqueeze(2), 1);
            var newU = loga - torch.logsumexp(kernel + newV.unsqueeze(1), 2);
            u.Dispose();
            v.Dispose();
            u = newU.MoveToOuterDisposeScope();
            v = newV.MoveToOuterDisposeScope();
            if (i % CheckEvery == 0)
            {
                var columns = (kernel + u.unsqueeze(2) + v.unsqueeze(1)).exp().sum(1);
                double error = (columns - b).square().sum(1).sqrt().max().ToDouble();
                if (error < tol)
                {
                    break;
                }
            }
        }
        return (u, v);
    }

    /// <summary>
    /// d⟨P, D⟩/dp by the implicit function theorem at the converged plan: with r = (P ∘ D) 1, k = (P ∘ D)ᵀ 1 and
    /// b = Pᵀ 1, solve (diag(P 1) - P diag(1/b) Pᵀ) x = r - P diag(1/b) k; the matrix is symmetric with
    /// (1, ..., 1) in its null space, so the pseudo-inverse gives the solution orthogonal to it.
    /// </summary>
    private static Tensor CostGradient(Tensor plan, Tensor d, ScalarType dtype)
    {
        var weighted = plan * d;
        var r = weighted.sum(2);
        var k = weighted.sum(1);
        var columns = plan.sum(1);
        var inverse = torch.where(columns > 0, columns.reciprocal(), torch.zeros_like(columns));
        var scaled = plan * inverse.unsqueeze(1);
        var system = torch.diag_embed(plan.sum(2)) - scaled.bmm(plan.transpose(1, 2));
        var rhs = r - scaled.bmm(k.unsqueeze(2)).squeeze(2);
        double rtol = dtype == ScalarType.Float64 ? 1e-12 : 1e-6;
        var solution = torch.linalg.pinv(system, rtol: rtol, hermitian: true).bmm(rhs.unsqueeze(2)).squeeze(2);
        return solution;
    }
}
