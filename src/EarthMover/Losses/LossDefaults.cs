namespace EarthMover;

/// <summary>
/// The defaults shared by the functional, factory and module forms of every loss, kept in one place so that the
/// three forms cannot drift apart. They are read-only fields rather than constants: an option left out (null) is
/// resolved here when the loss runs, so a changed default reaches callers without a rebuild.
/// </summary>
public static class LossDefaults
{
    /// <summary>The power p of the CDF differences (<c>squared_emd_loss</c>) and of the ground cost |x_i - x_j|^p (<c>wasserstein_1d_loss</c>): 2, the paper's squared EMD.</summary>
    public static readonly double P = 2.0;

    /// <summary>Whether to take the p-th root per sample (NIMA's EMD): no, the paper's loss is the p-th power.</summary>
    public static readonly bool Root;

    /// <summary>The normalisation: the paper's 1/C.</summary>
    public static readonly EmdNormalization Normalization = EmdNormalization.Paper;

    /// <summary>What the input holds: logits.</summary>
    public static readonly EmdInput Input = EmdInput.Logits;

    /// <summary>What the Sinkhorn loss returns: the transport cost of the entropic plan, as POT's <c>ot.sinkhorn2</c>.</summary>
    public static readonly SinkhornQuantity Sinkhorn = SinkhornQuantity.Cost;

    /// <summary>The Sinkhorn iterations' cap: 1000, POT's <c>numItermax</c>.</summary>
    public static readonly int SinkhornMaxIterations = 1000;

    /// <summary>The Sinkhorn stopping threshold on the marginal error for float64 inputs: 1e-9, POT's <c>stopThr</c>.</summary>
    public static readonly double SinkhornTolerance = 1e-9;

    /// <summary>The Sinkhorn stopping threshold for float32 (and half-precision) inputs: 1e-6, above float32's resolution, so the iterations can stop.</summary>
    public static readonly double SinkhornToleranceFloat32 = 1e-6;
}
