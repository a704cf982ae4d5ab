using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EarthMover.Kernels;

/// <summary>The 128-bit width (SSE on x64, AdvSimd on ARM64): 4 floats or 2 doubles per vector.</summary>
internal readonly struct Simd128<T>(Vector128<T> value) : ISimd<Simd128<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The vector.</summary>
    public Vector128<T> Value { get; } = value;

    public static int Count => Vector128<T>.Count;

    public static Simd128<T> Zero => default;

    public static Simd128<T> One => new(Vector128<T>.One);

    public T this[int lane] => Value[lane];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> Create(T value) => new(Vector128.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> Create(ReadOnlySpan<T> values) => new(Vector128.Create(values));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> operator +(Simd128<T> left, Simd128<T> right) => new(left.Value + right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> operator -(Simd128<T> left, Simd128<T> right) => new(left.Value - right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> operator *(Simd128<T> left, Simd128<T> right) => new(left.Value * right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> operator /(Simd128<T> left, Simd128<T> right) => new(left.Value / right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> operator -(Simd128<T> value) => new(-value.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> operator &(Simd128<T> left, Simd128<T> right) => new(left.Value & right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> operator |(Simd128<T> left, Simd128<T> right) => new(left.Value | right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> operator ^(Simd128<T> left, Simd128<T> right) => new(left.Value ^ right.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> operator ~(Simd128<T> value) => new(~value.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> MaxNative(Simd128<T> a, Simd128<T> b) => new(Vector128.MaxNative(a.Value, b.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> MultiplyAdd(Simd128<T> a, Simd128<T> b, Simd128<T> c) =>
        typeof(T) == typeof(float)
            ? new(Vector128.MultiplyAddEstimate(a.Value.As<T, float>(), b.Value.As<T, float>(), c.Value.As<T, float>()).As<float, T>())
            : new(Vector128.MultiplyAddEstimate(a.Value.As<T, double>(), b.Value.As<T, double>(), c.Value.As<T, double>()).As<double, T>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> LessThan(Simd128<T> a, Simd128<T> b) => new(Vector128.LessThan(a.Value, b.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> GreaterThan(Simd128<T> a, Simd128<T> b) => new(Vector128.GreaterThan(a.Value, b.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> GreaterThanOrEqual(Simd128<T> a, Simd128<T> b) => new(Vector128.GreaterThanOrEqual(a.Value, b.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> Equal(Simd128<T> a, Simd128<T> b) => new(Vector128.Equals(a.Value, b.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> AndNot(Simd128<T> a, Simd128<T> b) => new(Vector128.AndNot(a.Value, b.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(Simd128<T> mask) => mask.Value != Vector128<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128<T> PowerOfTwo(Simd128<T> rounded) =>
        typeof(T) == typeof(float)
            ? new(Vector128.ShiftLeft(rounded.Value.AsInt32() + Vector128.Create(127 - 0x4B400000), 23).As<int, T>())
            : new(Vector128.ShiftLeft(rounded.Value.AsInt64() - Vector128.Create(0x4338000000000000L - 1023L), 52).As<long, T>());
}
