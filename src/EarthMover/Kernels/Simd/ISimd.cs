using System.Numerics;

namespace EarthMover.Kernels;

/// <summary>
/// A vector of <typeparamref name="T"/> at one hardware width, so that a kernel is written once and runs at
/// every width: the kernels are generic over <typeparamref name="TSelf"/>, and the JIT compiles them once per
/// width (<see cref="SimdScalar{T}"/>, <see cref="Simd128x2{T}"/>, <see cref="Simd256{T}"/>), as TensorPrimitives does with its operator
/// structs. Which width a process uses is decided once, by <see cref="KernelWidths"/>.
/// </summary>
/// <typeparam name="TSelf">The width's vector type.</typeparam>
/// <typeparam name="T">float or double.</typeparam>
internal interface ISimd<TSelf, T> :
    IAdditionOperators<TSelf, TSelf, TSelf>,
    ISubtractionOperators<TSelf, TSelf, TSelf>,
    IMultiplyOperators<TSelf, TSelf, TSelf>,
    IDivisionOperators<TSelf, TSelf, TSelf>,
    IUnaryNegationOperators<TSelf, TSelf>,
    IBitwiseOperators<TSelf, TSelf, TSelf>
    where TSelf : unmanaged, ISimd<TSelf, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Number of lanes: the rows of a tile.</summary>
    static abstract int Count { get; }

    /// <summary>All lanes 0.</summary>
    static abstract TSelf Zero { get; }

    /// <summary>All lanes 1.</summary>
    static abstract TSelf One { get; }

    /// <summary>The value of one lane.</summary>
    /// <param name="lane">The lane, in [0, Count).</param>
    T this[int lane] { get; }

    /// <summary>Every lane <paramref name="value"/>.</summary>
    static abstract TSelf Create(T value);

    /// <summary>The first Count values, one per lane.</summary>
    static abstract TSelf Create(ReadOnlySpan<T> values);

    /// <summary>The larger of each pair of lanes (either one where a lane is NaN).</summary>
    static abstract TSelf MaxNative(TSelf a, TSelf b);

    /// <summary>a · b + c per lane, fused where the processor has FMA.</summary>
    static abstract TSelf MultiplyAdd(TSelf a, TSelf b, TSelf c);

    /// <summary>All bits set in the lanes where a &lt; b, else 0.</summary>
    static abstract TSelf LessThan(TSelf a, TSelf b);

    /// <summary>All bits set in the lanes where a &gt; b, else 0.</summary>
    static abstract TSelf GreaterThan(TSelf a, TSelf b);

    /// <summary>All bits set in the lanes where a ≥ b, else 0.</summary>
    static abstract TSelf GreaterThanOrEqual(TSelf a, TSelf b);

    /// <summary>All bits set in the lanes where a = b, else 0.</summary>
    static abstract TSelf Equal(TSelf a, TSelf b);

    /// <summary>a with the bits of b cleared.</summary>
    static abstract TSelf AndNot(TSelf a, TSelf b);

    /// <summary>Whether any lane has a bit set.</summary>
    static abstract bool Any(TSelf mask);

    /// <summary>
    /// 2^n per lane, where n is an integer held in the low mantissa bits of <paramref name="rounded"/> = n + 1.5 · 2^23
    /// (float) or n + 1.5 · 2^52 (double): the scale step of the exponential (<see cref="VectorMath{T, TV}"/>).
    /// </summary>
    static abstract TSelf PowerOfTwo(TSelf rounded);
}
