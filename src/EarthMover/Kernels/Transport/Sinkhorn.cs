namespace EarthMover.Kernels.Transport;

/// <summary>The one implementation behind the three forms of the Sinkhorn loss.</summary>
internal static class Sinkhorn
{
    /// <summary>How often the marginal error is checked (each check reads a value back from the device).</summary>
    private const int CheckEvery = 10;

    public static void CheckOptions(double epsilon, SinkhornQuantity quantity, int max_iter, double? tol)
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
        if (tol is { } value && (!(value >= 0) || double.IsInfinity(value)))
        {
            throw new ArgumentException($"tol = {tol}; the tolerance must be finite and >= 0.", nameof(tol));
        }
    }

    /// <summary>
    /// The default stopping threshold for iterations in <paramref name="dtype"/>: 1e-9 (POT's <c>stopThr</c>) in float64,
    /// 1e-6 in float32 (and the half types, which iterate in float32), where 1e-9 is below the resolution of the
    /// marginals (a float32 sum of C masses near 1 carries rounding of about C·6e-8), so it is never reached and every
    /// call would run all <c>max_iter</c> iterations.
    /// </summary>
    public static double DefaultTolerance(ScalarType dtype) => dtype == ScalarType.Float64 ? LossDefaults.SinkhornTolerance : LossDefaults.SinkhornToleranceFloat32;

    /// <summary>
    /// The per-row values [N], with the gradient attached to the input. <paramref name="tol"/> null: the default of
    /// the input's dtype (<see cref="DefaultTolerance"/>). With <paramref name="twiceDifferentiable"/> the rows also
    /// carry the exact second derivative at the current point (for <c>create_graph: true</c>; it costs a few
    /// batched C x C solves more), otherwise only the first (the gradient is detached).
    /// </summary>
    public static Tensor Rows(Tensor input, Tensor target, GroundDistance distance, double epsilon, SinkhornQuantity quantity, int maxIter, double? tol, bool logits, bool twiceDifferentiable = false)
    {
        using var scope = torch.NewDisposeScope();
        int n = (int)input.size(0), c = (int)input.size(1);
        var dtype = input.dtype is ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        double tolerance = tol ?? DefaultTolerance(dtype);
        bool needGrad = input.requires_grad && torch.is_grad_enabled();
        twiceDifferentiable &= needGrad;
        // The graph of the twice-differentiable form is built in float64.
        var x = input.to(twiceDifferentiable ? ScalarType.Float64 : dtype);
        var p = logits ? x.softmax(1) : x;
        p = p / p.sum(1, keepdim: true);
        var t = target.dim() == 1
            ? nn.functional.one_hot(target.to(ScalarType.Int64), c).to(dtype, input.device)
            : target.to(dtype);
        t = (t / t.sum(1, keepdim: true)).detach();
        var d = distance.CachedTensor(ScalarType.Float64, input.device);

        // The iterations see the same marginals in both forms (p in the iterations' dtype).
        var a = twiceDifferentiable ? Normalised(logits ? input.detach().to(dtype).softmax(1) : input.detach().to(dtype)) : p.detach();
        var b = t;
        if (quantity == SinkhornQuantity.Divergence)
        {
            // The three problems (p, t), (p, p) and (t, t) in one batch.
            b = torch.cat([t, a, t], 0);
            a = torch.cat([a, a, t], 0);
        }
        Tensor value, gradient;
        Tensor? hessian = null;
        using (torch.no_grad())
        {
            var mr = KernelExponent(d, epsilon, dtype);
            var (u, v) = Potentials(a, b, mr.to(dtype), maxIter, tolerance);
            // Values and derivatives in float64, whatever the dtype of the iterations.
            var plan = new EntropicPlan(u, v, mr, d, epsilon);
            var cost = (plan.Plan * plan.D).sum([1, 2]);
            var regularized = cost + epsilon * (torch.xlogy(plan.Plan, plan.Plan) - plan.Plan).sum([1, 2]);
            switch (quantity)
            {
                case SinkhornQuantity.Cost:
                    value = cost;
                    gradient = needGrad ? plan.CostGradient() : torch.zeros_like(plan.FTilde);
                    hessian = twiceDifferentiable ? plan.CostHessian() : null;
                    break;
                case SinkhornQuantity.Regularized:
                    value = regularized;
                    // f = f~ + ε log p; at p_i = 0 the slope is -∞, kept finite at ε log(smallest normal). In the
                    // twice-differentiable form the ε log p part comes from the term ε Σ p log p added below.
                    gradient = twiceDifferentiable ? plan.FTilde : plan.FTilde + epsilon * LogClamped(a.to(ScalarType.Float64), dtype);
                    hessian = twiceDifferentiable ? plan.FTildeJacobian() : null;
                    break;
                default:
                    value = regularized.narrow(0, 0, n) - (regularized.narrow(0, n, n) + regularized.narrow(0, 2 * n, n)) * 0.5;
                    // dS/dp = f(p, t) - (f(p, p) + g(p, p)) / 2; the ε log p terms of the three cancel.
                    gradient = plan.FTilde.narrow(0, 0, n) - (plan.FTilde.narrow(0, n, n) + plan.GTilde.narrow(0, n, n)) * 0.5;
                    if (twiceDifferentiable)
                    {
                        var pt = plan.Narrow(0, n).FTildeJacobian();
                        var pp = plan.Narrow(n, n).SymmetricJacobian();
                        hessian = pt - pp * 0.5;
                    }
                    break;
            }
            gradient = gradient - gradient.mean([1], keepdim: true);
            if (hessian is not null)
            {
                // A Hessian acts on directions with Σ dp = 0; only its symmetric part is one.
                hessian = (hessian + hessian.transpose(1, 2)) * 0.5;
                hessian = torch.where(torch.isfinite(hessian), hessian, 0.0);
            }
            gradient = torch.where(torch.isfinite(gradient), gradient, 0.0);
        }
        Tensor rows;
        if (!twiceDifferentiable)
        {
            // The value, with the computed gradient attached to p: the second term is 0 but carries it.
            rows = value.to(dtype) + (gradient.to(dtype) * (p - p.detach())).sum(1);
        }
        else
        {
            // value + g·δ + δᵀHδ/2, δ = p − p̄ (0 here, but its first and second derivatives are g and H).
            var delta = p - p.detach();
            rows = value + (gradient * delta).sum(1) + 0.5 * (delta * hessian!.bmm(delta.unsqueeze(2)).squeeze(2)).sum(1);
            if (quantity == SinkhornQuantity.Regularized)
            {
                // ε Σ p log p, less its value: gradient ε (log p + 1), Hessian ε diag(1/p).
                var logP = logits ? x.log_softmax(1) : LogClamped(p, dtype);
                var entropy = (p * logP).sum(1) * epsilon;
                rows = rows + entropy - entropy.detach();
            }
        }
        return rows.to(input.dtype).MoveToOuterDisposeScope();
    }

    private static Tensor Normalised(Tensor p) => p / p.sum(1, keepdim: true);

    /// <summary>log p, with p clamped below at the smallest normal number of the iterations' dtype (the slope of ε log p at 0 is −∞).</summary>
    private static Tensor LogClamped(Tensor p, ScalarType dtype) =>
        p.clamp_min(dtype == ScalarType.Float64 ? 2.2250738585072014E-308 : 1.17549435E-38).log();

    /// <summary>
    /// M = −D/ε in float64, bounded below by −2^20 when the iterations run in float32 and −2^40 in float64: the
    /// log-domain iterations add M to potentials of the same size, and beyond these the rounding of those sums
    /// (an eighth and 2^-12) would make exp(M + u + v) meaningless or overflow. exp(M) is 0 in either precision long
    /// before the bound, so it changes nothing unless ε is below about 1e-6 max D (float32) or 1e-12 max D
    /// (float64), where the iterations could not converge in any practical number of steps anyway (they need about
    /// max D/ε); the values then stay finite.
    /// </summary>
    internal static Tensor KernelExponent(Tensor d, double epsilon, ScalarType dtype) =>
        (d / -epsilon).clamp_min(dtype == ScalarType.Float64 ? -1099511627776.0 : -1048576.0);

    /// <summary>
    /// The log-domain potentials (u, v) of the problems (a, b) on M = <paramref name="mr"/>: on the CPU row by row
    /// (<see cref="SinkhornRows"/>, no B x C x C temporaries), elsewhere in tensor operations.
    /// </summary>
    /// <param name="a">N x C row marginals.</param>
    /// <param name="b">N x C column marginals.</param>
    /// <param name="mr">C x C, −D/ε, in the dtype of the marginals.</param>
    /// <param name="maxIter">The iteration cap.</param>
    /// <param name="tol">The stopping threshold on the column marginals' L2 error.</param>
    /// <param name="iterations">If given (N entries), receives the iterations each row ran.</param>
    internal static (Tensor U, Tensor V) Potentials(Tensor a, Tensor b, Tensor mr, int maxIter, double tol, int[]? iterations = null)
    {
        if (SinkhornRows.Applies(a))
        {
            return SinkhornRows.Iterate(a, b, mr, maxIter, tol, CheckEvery, iterations);
        }
        var (u, v, count) = Iterate(a, b, mr, maxIter, tol);
        if (iterations is not null)
        {
            Array.Fill(iterations, count);
        }
        return (u, v);
    }

    /// <summary>Log-domain Sinkhorn: v = log b - LSE_i(Mr_ij + u_i), u = log a - LSE_j(Mr_ij + v_j), as POT's sinkhorn_log.</summary>
    private static (Tensor U, Tensor V, int Iterations) Iterate(Tensor a, Tensor b, Tensor mr, int maxIter, double tol)
    {
        var loga = a.log();
        var logb = b.log();
        var u = torch.zeros_like(a);
        var v = torch.zeros_like(b);
        var kernel = mr.unsqueeze(0);
        int done = maxIter;
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
                    done = i + 1;
                    break;
                }
            }
        }
        return (u, v, done);
    }
}
