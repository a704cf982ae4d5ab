using System.Numerics;
using System.Runtime.CompilerServices;

namespace EarthMover.Kernels;

/// <summary>
/// One lane: the kernels in plain scalar arithmetic, for processors where .NET accelerates no vector
/// (<c>DOTNET_EnableHWIntrinsic=0</c>, or an architecture without vector support); a tile is then one row.
/// Masks are values with all bits set, as in a vector lane.
/// </summary>
internal readonly struct SimdScalar<T>(T value) : ISimd<SimdScalar<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The value.</summary>
    public T Value { get; } = value;

    public static int Count { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => 1; }

    public static SimdScalar<T> Zero { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => default; }

    public static SimdScalar<T> One { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(T.One); }

    public T this[int lane] => Value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> Create(T value) => new(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> Create(ReadOnlySpan<T> values) => new(values[0]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> operator +(SimdScalar<T> left, SimdScalar<T> right) => new(left.Value + right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> operator -(SimdScalar<T> left, SimdScalar<T> right) => new(left.Value - right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> operator *(SimdScalar<T> left, SimdScalar<T> right) => new(left.Value * right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> operator /(SimdScalar<T> left, SimdScalar<T> right) => new(left.Value / right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> operator -(SimdScalar<T> value) => new(-value.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> operator &(SimdScalar<T> left, SimdScalar<T> right) => FromBits(Bits(left) & Bits(right));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> operator |(SimdScalar<T> left, SimdScalar<T> right) => FromBits(Bits(left) | Bits(right));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> operator ^(SimdScalar<T> left, SimdScalar<T> right) => FromBits(Bits(left) ^ Bits(right));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> operator ~(SimdScalar<T> value) => FromBits(~Bits(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> MaxNative(SimdScalar<T> a, SimdScalar<T> b) => a.Value > b.Value ? a : b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> MultiplyAdd(SimdScalar<T> a, SimdScalar<T> b, SimdScalar<T> c) => new((a.Value * b.Value) + c.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> LessThan(SimdScalar<T> a, SimdScalar<T> b) => Mask(a.Value < b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> GreaterThan(SimdScalar<T> a, SimdScalar<T> b) => Mask(a.Value > b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> GreaterThanOrEqual(SimdScalar<T> a, SimdScalar<T> b) => Mask(a.Value >= b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> Equal(SimdScalar<T> a, SimdScalar<T> b) => Mask(a.Value == b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> AndNot(SimdScalar<T> a, SimdScalar<T> b) => FromBits(Bits(a) & ~Bits(b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(SimdScalar<T> mask) => Bits(mask) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdScalar<T> PowerOfTwo(SimdScalar<T> rounded) =>
        typeof(T) == typeof(float)
            ? FromBits((long)(uint)((Unsafe.BitCast<T, int>(rounded.Value) + (127 - 0x4B400000)) << 23))
            : FromBits((Unsafe.BitCast<T, long>(rounded.Value) - (0x4338000000000000L - 1023L)) << 52);

    // The value's bits, zero-extended to 64 (a float's in the low 32).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Bits(SimdScalar<T> x) =>
        typeof(T) == typeof(float) ? (uint)Unsafe.BitCast<T, int>(x.Value) : Unsafe.BitCast<T, long>(x.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static SimdScalar<T> FromBits(long bits) =>
        typeof(T) == typeof(float) ? new(Unsafe.BitCast<int, T>((int)bits)) : new(Unsafe.BitCast<long, T>(bits));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static SimdScalar<T> Mask(bool set) => FromBits(set ? -1L : 0L);
}
