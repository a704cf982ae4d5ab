namespace EarthMover;

/// <summary>How a predicted distribution over ordered classes becomes one class (docs/math.md §9).</summary>
public enum OrdinalDecoder
{
    /// <summary>The most probable class.</summary>
    Argmax,

    /// <summary>The median class: the first whose cumulative probability reaches 1/2; it minimises the expected absolute error.</summary>
    Median,

    /// <summary>The expected class index Σ k p_k, rounded to the nearest class.</summary>
    Expectation,
}
