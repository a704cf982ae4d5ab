using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EarthMover.Kernels.Rows;

/// <summary>The position of a row's largest value, a vector at a time (a compare-and-branch per entry mispredicts on random logits).</summary>
internal static class RowArgMax
{
    /// <summary>The first position of the largest value of a non-empty row of finite values.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Of<T>(ReadOnlySpan<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T z0 = ref MemoryMarshal.GetReference(z);
        int lanes = Vector256<T>.Count;
        int c = 0;
        T max = T.NegativeInfinity;
        if (Vector256.IsHardwareAccelerated && z.Length >= lanes)
        {
            var top = Vector256.Create(T.NegativeInfinity);
            for (; c + lanes <= z.Length; c += lanes)
            {
                top = Vector256.Max(top, Vector256.LoadUnsafe(ref z0, (nuint)c));
            }
            for (int i = 0; i < lanes; i++)
            {
                max = T.Max(max, top[i]);
            }
        }
        for (; c < z.Length; c++)
        {
            max = T.Max(max, z[c]);
        }
        c = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var m = Vector256.Create(max);
            for (; c + lanes <= z.Length; c += lanes)
            {
                uint found = Vector256.Equals(Vector256.LoadUnsafe(ref z0, (nuint)c), m).ExtractMostSignificantBits();
                if (found != 0)
                {
                    return c + BitOperations.TrailingZeroCount(found);
                }
            }
        }
        for (; c < z.Length; c++)
        {
            if (z[c] == max)
            {
                return c;
            }
        }
        return 0;
    }
}
