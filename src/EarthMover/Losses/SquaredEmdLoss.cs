using System.Numerics;
using EarthMover.Engine;
using EarthMover.Kernels;

namespace EarthMover;

public static partial class earthmover
{
    public static partial class nn
    {
        /// <summary>
        /// The squared Earth Mover's Distance loss for ordered classes (docs/math.md §2); see
        /// <see cref="functional.squared_emd_loss"/> for the formula and parameters.
        /// </summary>
        /// <param name="p">The power p ≥ 1 of the CDF differences (default <see cref="LossDefaults.P"/> = 2: the paper's EMD²).</param>
        /// <param name="root">Take the p-th root per sample (NIMA's EMD_p); default no.</param>
        /// <param name="positions">Class positions, strictly increasing (default 0, 1, ..., C-1).</param>
        /// <param name="normalization">s = 1/C (the paper, default) or 1 (the plain sum, the RPS for p = 2).</param>
        /// <include file="LossParameters.xml" path="losses/factory/param"/>
        public static Modules.SquaredEMDLoss SquaredEMDLoss(double? p = null, bool? root = null, IReadOnlyList<double>? positions = null, EmdNormalization? normalization = null, EmdInput? input_type = null, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
            new(p, root, positions, normalization, input_type, weight, reduction);

        public static partial class functional
        {
            /// <summary>
            /// The squared Earth Mover's Distance for ordered classes (Hou, Yu and Samaras; docs/math.md §2). With P and T
            /// the cumulative distributions of the prediction softmax(input) and of the target,
            /// <c>L = s · Σ_{m=1}^{C-1} (x_{m+1} - x_m) · |P_m - T_m|^p</c>, and <c>L^(1/p)</c> when <paramref name="root"/> is set.
            /// With the defaults (p = 2, unit spacing, s = 1/C) this is the paper's EMD² = (1/C) Σ_m (P_m - T_m)².
            /// With s = 1: p = 1 is the exact 1-Wasserstein distance on the line (SciPy's wasserstein_distance),
            /// p = 2 is half the squared energy distance (the Cramér distance; the Ranked Probability Score).
            /// It is not W2² (ground cost |i - j|²): for that use <see cref="wasserstein_1d_loss"/> or <see cref="ground_emd_loss(Tensor, Tensor, GroundDistance, EmdInput?, Tensor?, Tensor?, Reduction)"/>.
            /// </summary>
            /// <include file="LossParameters.xml" path="losses/functional/param"/>
            /// <param name="target">N class indices (int64), or N x C target distributions (soft labels).</param>
            /// <param name="p">The power p ≥ 1 (default <see cref="LossDefaults.P"/> = 2).</param>
            /// <param name="root">Take the p-th root per sample; its gradient is kept finite (zero) where prediction equals target.</param>
            /// <param name="positions">Class positions x, strictly increasing (default 0, 1, ..., C-1).</param>
            /// <param name="normalization">s = 1/C (<see cref="EmdNormalization.Paper"/>, default) or 1.</param>
            /// <returns>The loss: a scalar, or N values with <see cref="Reduction.None"/>.</returns>
            /// <exception cref="ArgumentException">A shape, type, device, class index, distribution, weight, power or position is invalid; the message names it.</exception>
            public static Tensor squared_emd_loss(Tensor input, Tensor target, double? p = null, bool? root = null, IReadOnlyList<double>? positions = null, EmdNormalization? normalization = null, EmdInput? input_type = null, Tensor? weight = null, Tensor? sample_weight = null, Reduction reduction = Reduction.Mean) =>
                LossEngine.Run(new SquaredEmdDefinition(p, root, positions, normalization), input, target, weight, sample_weight, reduction, input_type ?? LossDefaults.Input);
        }
    }
}

/// <summary>The squared EMD for ordered classes (docs/math.md §2): a tile kernel over the CDF differences.</summary>
internal sealed class SquaredEmdDefinition : LossDefinition
{
    private readonly double _p;
    private readonly bool _root;
    private readonly IReadOnlyList<double>? _positions;
    private readonly EmdNormalization _normalization;
    private double[] _gaps = [];
    private double _scale;

    public SquaredEmdDefinition(double? p, bool? root, IReadOnlyList<double>? positions, EmdNormalization? normalization)
    {
        _p = Check.Power(p ?? LossDefaults.P);
        _root = root ?? LossDefaults.Root;
        _positions = positions;
        _normalization = Check.Normalization(normalization ?? LossDefaults.Normalization);
    }

    public override string Name => "squared_emd_loss";

    public override FusedKind Fused => FusedKind.Tile;

    public override void CheckClasses(int classes)
    {
        _gaps = Check.Gaps(_positions, classes);
        _scale = _normalization == EmdNormalization.Paper ? 1.0 / classes : 1.0;
    }

    public override ITileKernel<T> TileKernel<T>(int classes) => new OrdinalEmdKernel<T>(classes, _gaps, _p, _scale, _root);

    public override Tensor TensorRows(Tensor input, Tensor target, bool logits) =>
        TensorOpsLosses.OrdinalRows(input, target, _gaps, _p, _scale, _root, logits);
}
