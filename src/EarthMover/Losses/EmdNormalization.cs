namespace EarthMover;

/// <summary>The factor s in front of the sum over CDF differences of <see cref="earthmover.nn.functional.squared_emd_loss"/>.</summary>
public enum EmdNormalization
{
    /// <summary>s = 1/C, as in the paper and its authors' code (<c>emd_l2</c> averages over classes).</summary>
    Paper,

    /// <summary>s = 1: the plain sum; with l = 2 and one-hot targets this is the Ranked Probability Score, and dlordinal's EMDLoss.</summary>
    None,
}
