using System.Numerics;

namespace EarthMover.Kernels;

/// <summary>
/// A loss's tile computation written once for every vector width: <see cref="TileKernel{T, TBody}"/> turns it
/// into the <see cref="ITileKernel{T, TV}"/> of each width. A struct, so that each width's call is specialised
/// and inlined as if written out (no generic virtual call per tile).
/// </summary>
internal interface ITileBody<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Number of classes C.</summary>
    int Classes { get; }

    /// <summary>The tile computation; see <see cref="ITileKernel{T, TV}.Tile"/> for the parameters.</summary>
    TV Tile<TV>(Span<TV> values, TV inverse, Span<TV> scratch, ReadOnlySpan<int> targets, ReadOnlySpan<TV> soft, bool logits, TV gradScale, bool needGrad)
        where TV : unmanaged, ISimd<TV, T>;
}
