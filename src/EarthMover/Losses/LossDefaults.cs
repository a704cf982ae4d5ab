namespace EarthMover;

/// <summary>
/// The defaults shared by the functional, factory and module forms of every loss, kept in one place so
/// that the three forms cannot drift apart.
/// </summary>
public static class LossDefaults
{
    /// <summary>The exponent l of the CDF differences: 2, the paper's squared EMD.</summary>
    public const double Exponent = 2.0;

    /// <summary>Whether to take the l-th root per sample (NIMA's EMD): no, the paper's loss is the l-th power.</summary>
    public const bool Root = false;

    /// <summary>The normalisation: the paper's 1/C.</summary>
    public const EmdNormalization Normalization = EmdNormalization.Paper;

    /// <summary>What the input holds: logits.</summary>
    public const EmdInput Input = EmdInput.Logits;

    /// <summary>What the Sinkhorn loss returns: the transport cost of the entropic plan, as POT's <c>ot.sinkhorn2</c>.</summary>
    public const SinkhornQuantity Sinkhorn = SinkhornQuantity.Cost;

    /// <summary>The Sinkhorn iterations' cap: 1000, POT's <c>numItermax</c>.</summary>
    public const int SinkhornMaxIterations = 1000;

    /// <summary>The Sinkhorn stopping threshold on the marginal error: 1e-9, POT's <c>stopThr</c>.</summary>
    public const double SinkhornTolerance = 1e-9;
}
