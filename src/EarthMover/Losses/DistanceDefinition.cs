namespace EarthMover;

/// <summary>
/// A loss under a ground distance D between classes (<see cref="EmdDefinition"/>, <see cref="GroundEmdDefinition"/>,
/// <see cref="SinkhornDefinition"/>): D is required and must match the number of classes C.
/// </summary>
internal abstract class DistanceDefinition(GroundDistance distance) : LossDefinition
{
    /// <summary>The ground distance D, C x C.</summary>
    protected GroundDistance Distance { get; } = distance ?? throw new ArgumentNullException(nameof(distance));

    public override void CheckClasses(int classes) => Check.Classes(classes, Distance.Classes, nameof(distance));
}
