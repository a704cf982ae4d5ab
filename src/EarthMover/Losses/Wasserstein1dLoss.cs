using EarthMover.Engine;
using EarthMover.Kernels;
using EarthMover.Kernels.Rows;

namespace EarthMover;

public static partial class earthmover
{
    public static partial class nn
    {
        /// <summary>The p-Wasserstein distance for ordered classes; see <see cref="functional.wasserstein_1d_loss"/>.</summary>
        /// <param name="p">The power p ≥ 1 of the ground cost |x_i - x_j|^p (default <see cref="LossDefaults.P"/> = 2: W2²).</param>
        /// <param name="root">Return W_p instead of W_p^p.</param>
        /// <param name="positions">Class positions, strictly increasing (default 0, 1, ..., C-1).</param>
        /// <include file="LossParameters.xml" path="losses/factory/param"/>
        public static Modules.Wasserstein1dLoss Wasserstein1dLoss(double? p = null, bool? root = null, IReadOnlyList<double>? positions = null, EmdInput? input_type = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
            new(p, root, positions, input_type, weight, reduction);

        public static partial class functional
        {
            /// <summary>
            /// The p-Wasserstein distance between the prediction softmax(input) and the target on classes at
            /// positions x (docs/math.md §13): <c>W_p^p = ∫_0^1 |x(F_pred^-1(u)) - x(F_t^-1(u))|^p du</c>,
            /// the cost of the quantile (monotone) coupling, which is the exact EMD for the ground cost |x_i - x_j|^p
            /// (POT's <c>ot.wasserstein_1d(x, x, pred, t, p=p)</c>; <see cref="emd_loss(Tensor, Tensor, GroundDistance, EmdInput?, Tensor?, Tensor?, Reduction)"/>
            /// with <see cref="GroundDistance.FromPositions"/>(x, p) gives the same value, in O(C²) or more instead of O(C)).
            /// This is not the paper's CDF form (<see cref="squared_emd_loss"/>, Σ gaps · |P - T|^p): the two agree for
            /// p = 1 only; for p = 2, prediction [.5, 0, .5] and class 1 this is W2² = 1 where the squared-CDF loss with
            /// s = 1 is 0.5. The gradient is the optimal dual potential of the coupling (centred; through the softmax
            /// for logits). Computed on the CPU in float64; tensors on other devices are copied there and back.
            /// </summary>
            /// <include file="LossParameters.xml" path="losses/functional/param"/>
            /// <param name="target">N class indices (int64), or N x C target distributions. Rows are scaled to unit mass.</param>
            /// <param name="p">The power p ≥ 1 (default <see cref="LossDefaults.P"/> = 2).</param>
            /// <param name="root">Return W_p = (W_p^p)^(1/p) per sample; its gradient is taken as 0 where prediction equals target.</param>
            /// <param name="positions">Class positions x, strictly increasing (default 0, 1, ..., C-1).</param>
            /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
            /// <exception cref="ArgumentException">A shape, class index, distribution, weight, power or position is invalid.</exception>
            public static Tensor wasserstein_1d_loss(Tensor input, Tensor target, double? p = null, bool? root = null, IReadOnlyList<double>? positions = null, EmdInput? input_type = null, Tensor? weight = null, Tensor? sample_weight = null, Reduction reduction = Reduction.Mean) =>
                LossEngine.Run(new Wasserstein1dDefinition(p, root, positions), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);
        }
    }
}

/// <summary>W_p on the line (docs/math.md §13): a row kernel merging the two CDFs.</summary>
internal sealed class Wasserstein1dDefinition : LossDefinition
{
    private readonly double _p;
    private readonly bool _root;
    private readonly IReadOnlyList<double>? _positions;
    private double[] _x = [];

    public Wasserstein1dDefinition(double? p, bool? root, IReadOnlyList<double>? positions)
    {
        _p = Check.Power(p ?? LossDefaults.P);
        _root = root ?? LossDefaults.Root;
        _positions = positions;
    }

    public override string Name => "wasserstein_1d_loss";

    public override bool DifferentiatesTarget => false;

    public override FusedKind Fused => FusedKind.Row;

    public override void CheckClasses(int classes)
    {
        Check.Gaps(_positions, classes);
        _x = _positions?.ToArray() ?? Enumerable.Range(0, classes).Select(i => (double)i).ToArray();
    }

    public override IRowKernel RowKernel(int classes) => new LineWassersteinKernel(_x, _p, _root);

    /// <summary>W_p^p is piecewise linear in the prediction (<see cref="TangentForm"/>); the root is taken on top, by autograd.</summary>
    public override Tensor TensorRows(Tensor input, Tensor target, bool logits)
    {
        var rows = TangentForm.Rows(new LineWassersteinKernel(_x, _p, root: false), input, target, logits);
        return _root && _p != 1 ? TensorOpsLosses.Root(rows, _p) : rows;
    }
}
