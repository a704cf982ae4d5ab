using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EarthMover.Kernels.Rows;

/// <summary>
/// What the single-precision rows (<see cref="ISingleRowKernel"/>) share beside <see cref="SingleExp.Exp"/>: a
/// refined reciprocal, the mask of a row's new lanes, sums and logarithms taken in double.
/// </summary>
internal static class SingleLanes
{
    /// <summary>Lanes per vector.</summary>
    public const int Count = 8;

    /// <summary>The sign bit of every lane.</summary>
    public static Vector256<float> SignBit => Vector256.Create(-0.0f);

    /// <summary>
    /// 1/u per lane for normal u in [2^-125, 2^125]: the processor's 12-bit estimate and one Newton step (about 1 ulp),
    /// no division (a division of 8 floats occupies the divider for several cycles).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Reciprocal(Vector256<float> u)
    {
        var r = Avx.Reciprocal(u);
        return r * Vector256.FusedMultiplyAdd(-u, r, Vector256.Create(2.0f));
    }

    /// <summary>
    /// The vector of a row of <paramref name="width"/> (≥ 8) entries at column <paramref name="column"/>: it starts
    /// at min(column, width - 8), so the last one overlaps the one before; <paramref name="fresh"/> masks the lanes
    /// from <paramref name="column"/> on.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Start(int column, int width, out Vector256<float> lanes, out Vector256<float> fresh)
    {
        int start = Math.Min(column, width - Count);
        lanes = Vector256<float>.Indices + Vector256.Create((float)start);
        fresh = Vector256.GreaterThanOrEqual(lanes, Vector256.Create((float)column));
        return start;
    }

    /// <summary>The 8 entries at <paramref name="index"/>, index - 1, ..., index - 7, in that order (a row read backwards).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadReversed(ref float row, int index) =>
        Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref row, (nuint)(index - 7)), Vector256.Create(7, 6, 5, 4, 3, 2, 1, 0));

    /// <summary>Stores the lanes at <paramref name="index"/>, index - 1, ..., index - 7 (the inverse of <see cref="LoadReversed"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreReversed(Vector256<float> v, ref float row, int index) =>
        Avx2.PermuteVar8x32(v, Vector256.Create(7, 6, 5, 4, 3, 2, 1, 0)).StoreUnsafe(ref row, (nuint)(index - 7));

    /// <summary>Lane i = v_0 + ... + v_i (three shifted additions, a tree: at most 3 roundings per lane).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> PrefixSums(Vector256<float> v) => ShiftedSums(v,
        Vector256.Create(0, 0, 1, 2, 3, 4, 5, 6), Vector256.Create(0, -1, -1, -1, -1, -1, -1, -1),
        Vector256.Create(0, 0, 0, 1, 2, 3, 4, 5), Vector256.Create(0, 0, -1, -1, -1, -1, -1, -1),
        Vector256.Create(0, 0, 0, 0, 0, 1, 2, 3), Vector256.Create(0, 0, 0, 0, -1, -1, -1, -1));

    /// <summary>Lane i = v_i + ... + v_7 (the mirror of <see cref="PrefixSums"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SuffixSums(Vector256<float> v) => ShiftedSums(v,
        Vector256.Create(1, 2, 3, 4, 5, 6, 7, 7), Vector256.Create(-1, -1, -1, -1, -1, -1, -1, 0),
        Vector256.Create(2, 3, 4, 5, 6, 7, 7, 7), Vector256.Create(-1, -1, -1, -1, -1, -1, 0, 0),
        Vector256.Create(4, 5, 6, 7, 7, 7, 7, 7), Vector256.Create(-1, -1, -1, -1, 0, 0, 0, 0));

    // v plus itself moved by 1, 2 and 4 lanes (the lanes moved in from outside masked to 0).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ShiftedSums(Vector256<float> v, Vector256<int> by1, Vector256<int> keep1, Vector256<int> by2, Vector256<int> keep2, Vector256<int> by4, Vector256<int> keep4)
    {
        v += Avx2.PermuteVar8x32(v, by1) & keep1.AsSingle();
        v += Avx2.PermuteVar8x32(v, by2) & keep2.AsSingle();
        return v + (Avx2.PermuteVar8x32(v, by4) & keep4.AsSingle());
    }

    /// <summary>Every lane set to lane <paramref name="lane"/> of <paramref name="v"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(Vector256<float> v, int lane) => Avx2.PermuteVar8x32(v, Vector256.Create(lane));

    /// <summary>The largest entry of a row of at least 8 (finite) entries, a vector at a time, the last overlapping.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(ReadOnlySpan<float> row)
    {
        ref float r0 = ref MemoryMarshal.GetReference(row);
        int width = row.Length;
        var top = Vector256.Create(float.NegativeInfinity);
        for (int c = 0; c < width; c += Count)
        {
            top = Vector256.Max(top, Vector256.LoadUnsafe(ref r0, (nuint)Math.Min(c, width - Count)));
        }
        return MaxOf(top);
    }

    /// <summary>The largest lane (lanes not NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxOf(Vector256<float> v)
    {
        var m = Vector128.Max(v.GetLower(), v.GetUpper());
        m = Vector128.Max(m, Vector128.Shuffle(m, Vector128.Create(2, 3, 0, 1)));
        m = Vector128.Max(m, Vector128.Shuffle(m, Vector128.Create(1, 0, 3, 2)));
        return m.ToScalar();
    }

    /// <summary>The lanes' sum, in double, in a fixed order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector256<float> v) =>
        Lanes256.Sum(new(Avx.ConvertToVector256Double(v.GetLower()) + Avx.ConvertToVector256Double(v.GetUpper())));

    /// <summary>Σ log of the lanes (positive, finite), in double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumOfLogs(Vector256<float> v) =>
        Lanes256.Sum(Lanes256.Log(new(Avx.ConvertToVector256Double(v.GetLower()))) + Lanes256.Log(new(Avx.ConvertToVector256Double(v.GetUpper()))));

    /// <summary>Whether every entry of a float32 row is finite (v - v is 0 for a finite v, NaN otherwise).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Finite(ReadOnlySpan<float> row)
    {
        ref float r0 = ref MemoryMarshal.GetReference(row);
        var bad = Vector256<float>.Zero;
        int c = 0;
        for (; c + Count <= row.Length; c += Count)
        {
            var v = Vector256.LoadUnsafe(ref r0, (nuint)c);
            bad |= v - v;
        }
        bool finite = Vector256.EqualsAll(bad.AsInt32(), Vector256<int>.Zero);
        for (; c < row.Length; c++)
        {
            finite &= float.IsFinite(row[c]);
        }
        return finite;
    }
}
