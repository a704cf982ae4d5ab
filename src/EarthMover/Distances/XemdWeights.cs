using EarthMover.Kernels;

namespace EarthMover;

/// <summary>
/// The weight matrix W of the paper's XEMD loss (docs/math.md §4), XEMD(p, k) = (1/C) Σ_i (p_i - t_i)² W_{k,i}.
/// Build it from a ground distance with <see cref="FromDistance(GroundDistance, XemdPreset)"/>, as the
/// authors do, or give it directly.
/// </summary>
public sealed class XemdWeights : SquareMatrix
{
    private XemdWeights(double[] values, int classes)
        : base(values, classes)
    {
    }

    /// <summary>
    /// The authors' construction from a distance matrix D: (1) R_ij = the percentile rank of D_ij within row i
    /// (SciPy's <c>percentileofscore(D[i], D_ij, kind='rank') / 100</c>: ties averaged, the zero self-distance
    /// included), raised to the power w; (2) symmetrise, (R + Rᵀ) / 2; (3) subtract mu and set the diagonal to 1.
    /// </summary>
    /// <param name="distance">The ground distance D.</param>
    /// <param name="mu">The offset subtracted from the ranks.</param>
    /// <param name="power">The power w on the ranks.</param>
    public static XemdWeights FromDistance(GroundDistance distance, double mu, double power) =>
        FromDistance(distance, mu, power, tieTolerance: 0);

    /// <summary>The construction with ties taken within <paramref name="tieTolerance"/> times each row's largest distance.</summary>
    internal static XemdWeights FromDistance(GroundDistance distance, double mu, double power, double tieTolerance)
    {
        ArgumentNullException.ThrowIfNull(distance);
        if (!double.IsFinite(mu))
        {
            throw new ArgumentException($"{nameof(mu)} = {mu}; it must be finite.", nameof(mu));
        }
        if (!(power > 0) || double.IsInfinity(power))
        {
            throw new ArgumentException($"{nameof(power)} = {power}; the power w must be finite and > 0.", nameof(power));
        }
        int c = distance.Classes;
        // The ranks become the weights in place: W_ij = W_ji = (r_ij + r_ji) / 2 − mu, diagonal 1.
        var weights = RankRows.Powers(distance.Values, c, power, tieTolerance);
        SymmetricPairs.Visit(weights, c, new SymmetricPairs.AverageMinus(mu));
        for (int i = 0; i < c; i++)
        {
            weights[i * c + i] = 1.0;
        }
        return new XemdWeights(weights, c);
    }

    /// <summary>The authors' construction with one of their presets (<see cref="XemdPreset.Xemd1"/>, <see cref="XemdPreset.Xemd2"/>).</summary>
    /// <param name="distance">The ground distance D.</param>
    /// <param name="preset">mu and w.</param>
    public static XemdWeights FromDistance(GroundDistance distance, XemdPreset preset) =>
        FromDistance(distance, preset.Mu, preset.Power);

    /// <summary>W given directly: any finite C x C matrix (row k weighs the errors of samples of class k).</summary>
    /// <param name="weights">The matrix.</param>
    public static XemdWeights FromMatrix(Tensor weights)
    {
        var (values, classes) = Read(weights, nameof(weights));
        CheckFinite(values, classes, nameof(weights));
        return new XemdWeights(values, classes);
    }

    /// <summary>W given directly as a C x C array of finite values.</summary>
    /// <param name="weights">The matrix.</param>
    public static XemdWeights FromMatrix(double[,] weights)
    {
        var (values, classes) = Read(weights, nameof(weights));
        CheckFinite(values, classes, nameof(weights));
        return new XemdWeights(values, classes);
    }

    /// <summary>The tile kernel for the normalisation s = 1/C (the authors' code) or 1, built once per type.</summary>
    internal ITileKernel<T> Kernel<T>(EmdNormalization normalization = EmdNormalization.Paper)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        normalization == EmdNormalization.Paper
            ? CachedKernel(() => new TileKernel<T, XemdKernel<T>>(new(Classes, Values, 1.0 / Classes)))
            : (TileKernel<T, XemdKernel<T>>)_plainKernels.GetOrAdd(typeof(T), _ => new TileKernel<T, XemdKernel<T>>(new(Classes, Values, 1.0)));

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Type, object> _plainKernels = new();
}
