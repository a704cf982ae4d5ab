namespace EarthMover;

/// <summary>How each feature vector is scaled before it joins its class centroid.</summary>
public enum FeatureNormalization
{
    /// <summary>f / Σ|f|, as the paper does (its features are post-ReLU, so this is f / Σf).</summary>
    L1,

    /// <summary>f / ‖f‖₂.</summary>
    L2,

    /// <summary>Features as they are.</summary>
    None,
}
