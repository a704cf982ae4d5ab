// TorchSharp's own naming at the API boundary: lower-case static classes (earthmover.nn.functional) and
// snake_case functions and parameters, as in torch.nn.functional. Everything behind it is ordinary .NET.
#pragma warning disable CS8981, CA1707

using EarthMover.Engine;
using EarthMover.Kernels;
using EarthMover.Kernels.Transport;
using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover
{
    public static partial class earthmover
    {
        public static partial class nn
        {
            /// <summary>The entropic (Sinkhorn) EMD; see <see cref="functional.sinkhorn_loss(Tensor, Tensor, GroundDistance, double, SinkhornQuantity?, int?, double?, EmdInput?, Tensor?, Tensor?, Reduction)"/>.</summary>
            /// <param name="distance">The ground distance D between classes.</param>
            /// <param name="epsilon">The entropic regularisation ε &gt; 0, in the units of D (POT's <c>reg</c>).</param>
            /// <param name="quantity">The transport cost of the entropic plan (POT's value), the entropic objective, or the debiased divergence.</param>
            /// <param name="max_iter">At most this many Sinkhorn iterations.</param>
            /// <param name="tol">Stop when every row's marginal error is below this.</param>
            /// <param name="input_type">Whether the input holds logits (default) or probabilities.</param>
            /// <param name="weight">Optional per-class weights (C), finite and ≥ 0, for class-index targets (docs/math.md §7).</param>
            /// <param name="reduction">Mean (weighted mean with sample weights), Sum or None.</param>
            public static Modules.SinkhornLoss SinkhornLoss(
                GroundDistance distance,
                double epsilon,
                SinkhornQuantity? quantity = null,
                int? max_iter = null,
                double? tol = null,
                EmdInput? input_type = null,
                Tensor? weight = null,
                Reduction reduction = Reduction.Mean) =>
                new(distance, epsilon, quantity, max_iter, tol, input_type, weight, reduction);

            public static partial class functional
            {
                /// <summary>
                /// The entropic Earth Mover's Distance between the prediction p = softmax(input) and a target distribution t
                /// (Cuturi 2013; Frogner et al. 2015; docs/math.md §11). The plan P_ε minimises
                /// <c>⟨P, D⟩ + ε Σ P (log P - 1)</c> over plans with row sums p and column sums t; it is found by
                /// Sinkhorn's iterations in the log domain (POT's <c>ot.bregman.sinkhorn_log</c>; on the CPU row by row
                /// on the losses' worker threads, elsewhere all rows at once in tensor operations), which stay finite at small ε. <paramref name="quantity"/>
                /// chooses the value: <see cref="SinkhornQuantity.Cost"/> = ⟨P_ε, D⟩ (POT's <c>ot.sinkhorn2</c>),
                /// <see cref="SinkhornQuantity.Regularized"/> = OT_ε = ⟨P_ε, D⟩ + ε Σ P_ε (log P_ε - 1), or
                /// <see cref="SinkhornQuantity.Divergence"/> = OT_ε(p, t) - (OT_ε(p, p) + OT_ε(t, t)) / 2. As ε → 0 each
                /// tends to the exact EMD (<see cref="emd_loss(Tensor, Tensor, GroundDistance, EmdInput?, Tensor?, Tensor?, Reduction)"/>).
                /// The iterations run without autograd; the gradient with respect to p is exact at convergence:
                /// the dual potential for the regularized objective and the divergence (envelope theorem), implicit
                /// differentiation of the plan for the cost. Iterations stop after <paramref name="max_iter"/>, or once
                /// the column marginals are within <paramref name="tol"/> of t (L2 norm, checked every 10 iterations, as
                /// POT does): on the CPU each row once its own are, elsewhere all rows once every row's are. The row
                /// marginals are exact after each iteration. No gradient flows to the target.
                /// </summary>
                /// <param name="input">N x C logits (or probabilities), float32 or float64 on any device (half precision is computed in float32).</param>
                /// <param name="target">N class indices (int64), or N x C target distributions. Rows are scaled to unit mass.</param>
                /// <param name="distance">The ground distance D, C x C.</param>
                /// <param name="epsilon">The regularisation ε &gt; 0, in the units of D.</param>
                /// <param name="quantity">Which value to return (default: the cost, as POT's <c>sinkhorn2</c>).</param>
                /// <param name="max_iter">The iteration cap (default 1000, as POT).</param>
                /// <param name="tol">The stopping threshold on the marginal error (default 1e-9 for float64 as POT, <see cref="LossDefaults.SinkhornToleranceFloat32"/> = 1e-6 for float32, whose resolution 1e-9 is below); 0 runs all <paramref name="max_iter"/> iterations.</param>
                /// <param name="input_type">Logits (default) or probabilities.</param>
                /// <param name="weight">Optional per-class weights (C), finite and ≥ 0, for class-index targets: sample i is weighted by weight[target_i], as in <c>cross_entropy</c> (docs/math.md §7). Refused with target distributions.</param>
                /// <param name="sample_weight">Optional per-sample weights (N), finite and ≥ 0; multiplied with the class weights when both are given; Mean divides by the sum of the weights used.</param>
                /// <param name="reduction">Mean (default), Sum or None.</param>
                /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
                /// <exception cref="ArgumentException">A shape, class index or distribution is invalid, D does not match C, or ε, max_iter or tol is out of range.</exception>
                public static Tensor sinkhorn_loss(
                    Tensor input,
                    Tensor target,
                    GroundDistance distance,
                    double epsilon,
                    SinkhornQuantity? quantity = null,
                    int? max_iter = null,
                    double? tol = null,
                    EmdInput? input_type = null,
                    Tensor? weight = null,
                    Tensor? sample_weight = null,
                    Reduction reduction = Reduction.Mean) =>
                    LossEngine.Run(new SinkhornDefinition(distance, epsilon, quantity, max_iter, tol), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);

                /// <summary>
                /// <see cref="sinkhorn_loss(Tensor, Tensor, GroundDistance, double, SinkhornQuantity?, int?, double?, EmdInput?, Tensor?, Tensor?, Reduction)"/>
                /// with D given as a tensor, checked on every call.
                /// </summary>
                /// <param name="input">N x C logits (or probabilities).</param>
                /// <param name="target">N class indices (int64), or N x C target distributions.</param>
                /// <param name="distance">The ground distance D: C x C, finite, ≥ 0, zero diagonal.</param>
                /// <param name="epsilon">The regularisation ε &gt; 0, in the units of D.</param>
                /// <param name="quantity">Which value to return.</param>
                /// <param name="max_iter">The iteration cap.</param>
                /// <param name="tol">The stopping threshold on the marginal error.</param>
                /// <param name="input_type">Logits (default) or probabilities.</param>
                /// <param name="weight">Optional per-class weights (C).</param>
                /// <param name="sample_weight">Optional per-sample weights (N).</param>
                /// <param name="reduction">Mean (default), Sum or None.</param>
                /// <returns>The loss.</returns>
                public static Tensor sinkhorn_loss(
                    Tensor input,
                    Tensor target,
                    Tensor distance,
                    double epsilon,
                    SinkhornQuantity? quantity = null,
                    int? max_iter = null,
                    double? tol = null,
                    EmdInput? input_type = null,
                    Tensor? weight = null,
                    Tensor? sample_weight = null,
                    Reduction reduction = Reduction.Mean) =>
                    sinkhorn_loss(input, target, GroundDistance.FromMatrix(distance), epsilon, quantity, max_iter, tol, input_type, weight, sample_weight, reduction);
            }
        }
    }

    /// <summary>The entropic EMD (docs/math.md §11): log-domain Sinkhorn iterations, row by row on the CPU, in tensor operations elsewhere.</summary>
    internal sealed class SinkhornDefinition : LossDefinition
    {
        private readonly GroundDistance _distance;
        private readonly double _epsilon;
        private readonly SinkhornQuantity _quantity;
        private readonly int _maxIter;
        private readonly double? _tol;

        public SinkhornDefinition(GroundDistance distance, double epsilon, SinkhornQuantity? quantity, int? maxIter, double? tol)
        {
            _distance = distance ?? throw new ArgumentNullException(nameof(distance));
            _epsilon = epsilon;
            _quantity = quantity ?? LossDefaults.Sinkhorn;
            _maxIter = maxIter ?? LossDefaults.SinkhornMaxIterations;
            _tol = tol;
            Sinkhorn.CheckOptions(_epsilon, _quantity, _maxIter, _tol ?? 0);
        }

        public override string Name => "sinkhorn_loss";

        public override bool DifferentiatesTarget => false;

        public override void CheckClasses(int classes) => Check.Classes(classes, _distance.Classes, "distance");

        public override Tensor TensorRows(Tensor input, Tensor target, bool logits) =>
            Sinkhorn.Rows(input, target, _distance, _epsilon, _quantity, _maxIter, _tol ?? Tolerance(input.dtype), logits);

        /// <summary>The default stopping threshold for an input type: POT's 1e-9 in float64, 1e-6 where float32 cannot resolve 1e-9.</summary>
        public static double Tolerance(ScalarType dtype) =>
            dtype == ScalarType.Float64 ? LossDefaults.SinkhornTolerance : LossDefaults.SinkhornToleranceFloat32;
    }

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
}

namespace EarthMover.Modules
{
    /// <summary>The entropic (Sinkhorn) EMD as a module: see <see cref="earthmover.nn.functional.sinkhorn_loss(Tensor, Tensor, GroundDistance, double, SinkhornQuantity?, int?, double?, EmdInput?, Tensor?, Tensor?, Reduction)"/>. Options are checked when set.</summary>
    public sealed class SinkhornLoss : EarthMoverLoss
    {
        private GroundDistance _distance;
        private double _epsilon;
        private SinkhornQuantity _quantity;
        private int _maxIter;
        private double? _tol;

        internal SinkhornLoss(GroundDistance distance, double epsilon, SinkhornQuantity? quantity, int? maxIter, double? tol, EmdInput? inputType, Tensor? weight, Reduction reduction)
            : base(inputType, weight, reduction)
        {
            _distance = distance ?? throw new ArgumentNullException(nameof(distance));
            Sinkhorn.CheckOptions(epsilon, quantity ?? LossDefaults.Sinkhorn, maxIter ?? LossDefaults.SinkhornMaxIterations, tol ?? 0);
            _epsilon = epsilon;
            _quantity = quantity ?? LossDefaults.Sinkhorn;
            _maxIter = maxIter ?? LossDefaults.SinkhornMaxIterations;
            _tol = tol;
        }

        /// <summary>The ground distance D; replace it (each epoch, with a learned distance) by assigning a new one.</summary>
        public GroundDistance distance { get => _distance; set => _distance = value ?? throw new ArgumentNullException(nameof(distance)); }

        /// <summary>The regularisation ε &gt; 0.</summary>
        public double epsilon { get => _epsilon; set => _epsilon = Checked(value, _quantity, _maxIter, _tol).Epsilon; }

        /// <summary>Which value the loss returns.</summary>
        public SinkhornQuantity quantity { get => _quantity; set => _quantity = Checked(_epsilon, value, _maxIter, _tol).Quantity; }

        /// <summary>The iteration cap.</summary>
        public int max_iter { get => _maxIter; set => _maxIter = Checked(_epsilon, _quantity, value, _tol).MaxIter; }

        /// <summary>The stopping threshold on the marginal error, or null for the default of the input's type.</summary>
        public double? tol { get => _tol; set => _tol = Checked(_epsilon, _quantity, _maxIter, value).Tol; }

        /// <inheritdoc />
        public override Tensor forward(Tensor input, Tensor target, Tensor? sample_weight) =>
            earthmover.nn.functional.sinkhorn_loss(input, target, distance, epsilon, quantity, max_iter, tol, input_type, weight, sample_weight, reduction);

        private static (double Epsilon, SinkhornQuantity Quantity, int MaxIter, double? Tol) Checked(double epsilon, SinkhornQuantity quantity, int maxIter, double? tol)
        {
            Sinkhorn.CheckOptions(epsilon, quantity, maxIter, tol ?? 0);
            return (epsilon, quantity, maxIter, tol);
        }
    }
}
