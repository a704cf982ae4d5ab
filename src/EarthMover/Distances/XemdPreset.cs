namespace EarthMover;

/// <summary>
/// The two settings of the XEMD weight builder that the authors' scripts use (docs/math.md §4).
/// </summary>
/// <param name="Mu">Subtracted from the symmetrised ranks; a positive mu gives near classes a negative weight.</param>
/// <param name="Power">The power w applied to the percentile ranks.</param>
public readonly record struct XemdPreset(double Mu, double Power)
{
    /// <summary>XEMD1: mu = 0.5, w = 1.</summary>
    public static XemdPreset Xemd1 => new(0.5, 1.0);

    /// <summary>XEMD2: mu = 0.25, w = 2.</summary>
    public static XemdPreset Xemd2 => new(0.25, 2.0);
}
