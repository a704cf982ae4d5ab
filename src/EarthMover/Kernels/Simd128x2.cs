using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EarthMover.Kernels;

/// <summary>
/// Two 128-bit vectors used as one (8 floats or 4 doubles), for processors whose widest accelerated vectors
/// are 128 bits (ARM64's AdvSimd, x64 without AVX). Every step then has two independent halves, so that the
/// kernels' running sums (the CDF, the dot products) keep two additions in flight instead of waiting on one.
/// </summary>
internal readonly struct Simd128x2<T>(Vector128<T> low, Vector128<T> high) : ISimd<Simd128x2<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The first half of the lanes.</summary>
    public Vector128<T> Low { get; } = low;

    /// <summary>The second half of the lanes.</summary>
    public Vector128<T> High { get; } = high;

    public static int Count => 2 * Vector128<T>.Count;

    public static Simd128x2<T> Zero => default;

    public static Simd128x2<T> One => new(Vector128<T>.One, Vector128<T>.One);

    public T this[int lane] => lane < Vector128<T>.Count ? Low[lane] : High[lane - Vector128<T>.Count];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128x2<T> Create(T value) => new(Vector128.Create(value), Vector128.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128x2<T> Create(ReadOnlySpan<T> values) => new(Vector128.Create(values), Vector128.Create(values[Vector128<T>.Count..]));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128x2<T> operator +(Simd128x2<T> left, Simd128x2<T> right) => new(left.Low + right.Low, left.High + right.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128x2<T> operator -(Simd128x2<T> left, Simd128x2<T> right) => new(left.Low - right.Low, left.High - right.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128x2<T> operator *(Simd128x2<T> left, Simd128x2<T> right) => new(left.Low * right.Low, left.High * right.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128x2<T> operator /(Simd128x2<T> left, Simd128x2<T> right) => new(left.Low / right.Low, left.High / right.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128x2<T> operator -(Simd128x2<T> value) => new(-value.Low, -value.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128x2<T> operator &(Simd128x2<T> left, Simd128x2<T> right) => new(left.Low & right.Low, left.High & right.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128x2<T> operator |(Simd128x2<T> left, Simd128x2<T> right) => new(left.Low | right.Low, left.High | right.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128x2<T> operator ^(Simd128x2<T> left, Simd128x2<T> right) => new(left.Low ^ right.Low, left.High ^ right.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128x2<T> operator ~(Simd128x2<T> value) => new(~value.Low, ~value.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128x2<T> MaxNative(Simd128x2<T> a, Simd128x2<T> b) => new(Vector128.MaxNative(a.Low, b.Low), Vector128.MaxNative(a.High, b.High));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128x2<T> MultiplyAdd(Simd128x2<T> a, Simd128x2<T> b, Simd128x2<T> c) =>
        new(Simd128<T>.MultiplyAdd(new(a.Low), new(b.Low), new(c.Low)).Value, Simd128<T>.MultiplyAdd(new(a.High), new(b.High), new(c.High)).Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128x2<T> LessThan(Simd128x2<T> a, Simd128x2<T> b) => new(Vector128.LessThan(a.Low, b.Low), Vector128.LessThan(a.High, b.High));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128x2<T> GreaterThan(Simd128x2<T> a, Simd128x2<T> b) => new(Vector128.GreaterThan(a.Low, b.Low), Vector128.GreaterThan(a.High, b.High));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128x2<T> GreaterThanOrEqual(Simd128x2<T> a, Simd128x2<T> b) => new(Vector128.GreaterThanOrEqual(a.Low, b.Low), Vector128.GreaterThanOrEqual(a.High, b.High));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128x2<T> Equal(Simd128x2<T> a, Simd128x2<T> b) => new(Vector128.Equals(a.Low, b.Low), Vector128.Equals(a.High, b.High));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128x2<T> AndNot(Simd128x2<T> a, Simd128x2<T> b) => new(Vector128.AndNot(a.Low, b.Low), Vector128.AndNot(a.High, b.High));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(Simd128x2<T> mask) => (mask.Low | mask.High) != Vector128<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128x2<T> PowerOfTwo(Simd128x2<T> rounded) =>
        new(Simd128<T>.PowerOfTwo(new(rounded.Low)).Value, Simd128<T>.PowerOfTwo(new(rounded.High)).Value);
}
