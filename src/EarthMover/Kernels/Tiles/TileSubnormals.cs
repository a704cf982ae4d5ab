using System.Numerics;
using System.Runtime.CompilerServices;

namespace EarthMover.Kernels;

/// <summary>
/// Sets a tile's gradient entries below the type's smallest normal number to zero before they leave the kernel.
/// The softmax keeps each term normal (terms below e^-40 in float32, e^-600 in float64 are zero), but a gradient
/// entry multiplies a probability by a sum weighted with the others, and the product of two small ones can fall
/// below the normal range (e^-264 · e^-471 in float64, logits scaled by 400). Such numbers make any later arithmetic
/// on the gradient slow on x86 and mean nothing beside the row's other entries.
/// </summary>
internal static class TileSubnormals
{
    /// <summary>Zeroes the entries of <paramref name="tile"/> whose magnitude is below the smallest normal number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Flush<T, TV>(Span<TV> tile)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged, ISimd<TV, T>
    {
        var smallest = TV.Create(SmallestNormal<T>());
        var negative = -smallest;
        for (int m = 0; m < tile.Length; m++)
        {
            var g = tile[m];
            tile[m] = TV.AndNot(g, TV.LessThan(g, smallest) & TV.GreaterThan(g, negative));
        }
    }

    /// <summary>2^-126 for float, 2^-1022 for double.</summary>
    public static T SmallestNormal<T>()
        where T : unmanaged, IFloatingPointIeee754<T> =>
        T.CreateChecked(typeof(T) == typeof(float) ? 1.1754943508222875E-38 : 2.2250738585072014E-308);
}
