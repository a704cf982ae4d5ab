using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EarthMover.Kernels.Rows;

/// <summary>
/// Double-precision vector lanes for the raw-row kernels, written once against this interface and run at the widest
/// width the processor has (<see cref="RowVectors"/>): an exponential and a logarithm without divisions (a division
/// costs 4-16 cycles per vector, more than the rest of a lane's work), to the last bit or two, and a reciprocal
/// refined from the processor's estimate where it has one. The kernels written on it are compiled fully optimised at
/// once (<c>AggressiveOptimization</c>): their unoptimised first tier calls every vector operation, 20-50x slower, and
/// the background tier-up can wait for seconds on a loaded machine behind a high-priority caller (BenchmarkDotNet).
/// </summary>
/// <typeparam name="TSelf">The implementing width.</typeparam>
internal interface ILanes<TSelf>
    where TSelf : struct, ILanes<TSelf>
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    /// <summary>All lanes 0.</summary>
    static abstract TSelf Zero { get; }

    /// <summary>All lanes 1.</summary>
    static abstract TSelf One { get; }

    /// <summary>All bits set (a mask selecting every lane).</summary>
    static abstract TSelf AllBitsSet { get; }

    /// <summary>The lane numbers 0, 1, 2, ...</summary>
    static abstract TSelf Indices { get; }

    /// <summary>Every lane <paramref name="value"/>.</summary>
    static abstract TSelf Create(double value);

    /// <summary>Count values from <paramref name="at"/> + <paramref name="offset"/>.</summary>
    static abstract TSelf Load(ref double at, int offset);

    /// <summary>Stores the lanes at <paramref name="at"/> + <paramref name="offset"/>.</summary>
    void Store(ref double at, int offset);

    static abstract TSelf operator +(TSelf a, TSelf b);

    static abstract TSelf operator -(TSelf a, TSelf b);

    static abstract TSelf operator *(TSelf a, TSelf b);

    static abstract TSelf operator -(TSelf a);

    static abstract TSelf operator &(TSelf a, TSelf b);

    static abstract TSelf operator |(TSelf a, TSelf b);

    /// <summary><paramref name="a"/> where <paramref name="mask"/> is clear, 0 where it is set.</summary>
    static abstract TSelf AndNot(TSelf a, TSelf mask);

    /// <summary><paramref name="a"/> where <paramref name="mask"/> is set, else <paramref name="b"/>.</summary>
    static abstract TSelf Select(TSelf mask, TSelf a, TSelf b);

    /// <summary>|a| per lane.</summary>
    static abstract TSelf Abs(TSelf a);

    /// <summary>The larger per lane.</summary>
    static abstract TSelf Max(TSelf a, TSelf b);

    /// <summary>A mask: a &gt; b.</summary>
    static abstract TSelf GreaterThan(TSelf a, TSelf b);

    /// <summary>A mask: a ≥ b.</summary>
    static abstract TSelf GreaterThanOrEqual(TSelf a, TSelf b);

    /// <summary>A mask: a = b.</summary>
    static abstract TSelf Equal(TSelf a, TSelf b);

    /// <summary>The lanes' sum, in a fixed order.</summary>
    static abstract double Sum(TSelf v);

    /// <summary>The largest lane.</summary>
    static abstract double MaxOf(TSelf v);

    /// <summary>Whether every lane is finite.</summary>
    static abstract bool AllFinite(TSelf v);

    /// <summary>
    /// e^d per lane for d ≤ 0 (not NaN): d = n ln2 + r (Cody-Waite), e^r by its Taylor polynomial of degree 13
    /// (truncation below 4e-18 for |r| ≤ ln2/2), 2^n through the exponent bits. Below -700 the result is 0 (the
    /// true value is under 1e-304, beyond anything the kernels keep).
    /// </summary>
    static abstract TSelf Exp(TSelf d);

    /// <summary>
    /// The natural logarithm per lane of a positive, normal, finite x (fdlibm's e_log.c: x = 2^k (1 + f) with
    /// 1 + f in [√2/2, √2), log(1 + f) = f - f²/2 + s (f²/2 + R(s²)), s = f / (2 + f)); error below 1 ulp.
    /// </summary>
    static abstract TSelf Log(TSelf x);

    /// <summary>1/u per lane for positive normal u: AVX-512's 14-bit estimate refined by two Newton steps where the processor has it, else a division.</summary>
    static abstract TSelf Reciprocal(TSelf u);
}

/// <summary>
/// The vector widths' extra operations, on which <see cref="LaneMath"/> writes the exponential and the logarithm once
/// for every width (the scalar lane uses <see cref="Math"/> instead). The bit operations treat each lane as an int64.
/// </summary>
/// <typeparam name="TSelf">The implementing width.</typeparam>
internal interface IVectorLanes<TSelf> : ILanes<TSelf>
    where TSelf : struct, IVectorLanes<TSelf>
{
    /// <summary>a × b + c per lane, rounded once.</summary>
    static abstract TSelf FusedMultiplyAdd(TSelf a, TSelf b, TSelf c);

    /// <summary>A mask: a &lt; b.</summary>
    static abstract TSelf LessThan(TSelf a, TSelf b);

    /// <summary>
    /// max(a, <paramref name="floor"/>) per lane. The floor is a constant at the call, and made a vector here, after
    /// inlining, so that the JIT sees a constant that is neither NaN nor 0 and emits one max instruction (with
    /// <see cref="ILanes{TSelf}.Max"/> on a vector made by the caller it emits the full IEEE sequence).
    /// </summary>
    static abstract TSelf AtLeast(TSelf a, double floor);

    /// <summary>Every lane the bit pattern <paramref name="bits"/>.</summary>
    static abstract TSelf CreateBits(long bits);

    /// <summary>Each lane's bits as an int64, plus <paramref name="bits"/> (wrapping).</summary>
    static abstract TSelf AddBits(TSelf a, long bits);

    /// <summary>Each lane's bits shifted left by <paramref name="count"/>.</summary>
    static abstract TSelf ShiftLeftBits(TSelf a, int count);

    /// <summary>Each lane's bits shifted right by <paramref name="count"/>, zeros shifted in.</summary>
    static abstract TSelf ShiftRightBits(TSelf a, int count);
}

/// <summary>
/// <see cref="ILanes{TSelf}.Exp"/> and <see cref="ILanes{TSelf}.Log"/> written once for the vector widths; inlined
/// into each width's wrapper, so the JIT compiles them per width with the same operations in the same order.
/// </summary>
internal static class LaneMath
{
    /// <inheritdoc cref="ILanes{TSelf}.Exp"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TL Exp<TL>(TL d)
        where TL : struct, IVectorLanes<TL>
    {
        var small = TL.LessThan(d, TL.Create(-700.0));
        var x = TL.AtLeast(d, -700.0);
        var magic = TL.Create(6755399441055744.0); // 1.5 * 2^52: adding it rounds to an integer in the low bits.
        var shifted = TL.FusedMultiplyAdd(x, TL.Create(1.4426950408889634), magic);
        var n = shifted - magic;
        var r = TL.FusedMultiplyAdd(-n, TL.Create(6.93145751953125E-1), x);
        r = TL.FusedMultiplyAdd(-n, TL.Create(1.42860682030941723212E-6), r);
        var p = TL.Create(1.0 / 6227020800.0);
        p = TL.FusedMultiplyAdd(p, r, TL.Create(1.0 / 479001600.0));
        p = TL.FusedMultiplyAdd(p, r, TL.Create(1.0 / 39916800.0));
        p = TL.FusedMultiplyAdd(p, r, TL.Create(1.0 / 3628800.0));
        p = TL.FusedMultiplyAdd(p, r, TL.Create(1.0 / 362880.0));
        p = TL.FusedMultiplyAdd(p, r, TL.Create(1.0 / 40320.0));
        p = TL.FusedMultiplyAdd(p, r, TL.Create(1.0 / 5040.0));
        p = TL.FusedMultiplyAdd(p, r, TL.Create(1.0 / 720.0));
        p = TL.FusedMultiplyAdd(p, r, TL.Create(1.0 / 120.0));
        p = TL.FusedMultiplyAdd(p, r, TL.Create(1.0 / 24.0));
        p = TL.FusedMultiplyAdd(p, r, TL.Create(1.0 / 6.0));
        p = TL.FusedMultiplyAdd(p, r, TL.Create(0.5));
        p = TL.FusedMultiplyAdd(p, r, TL.One);
        p = TL.FusedMultiplyAdd(p, r, TL.One);
        // 2^n: the integer in shifted's low bits, rebiased by 1023 and moved into the exponent field.
        var scale = TL.ShiftLeftBits(TL.AddBits(shifted, -(0x4338000000000000L - 1023L)), 52);
        return TL.AndNot(p * scale, small);
    }

    /// <inheritdoc cref="ILanes{TSelf}.Log"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TL Log<TL>(TL x)
        where TL : struct, IVectorLanes<TL>
    {
        var ix = TL.AddBits(x, (0x3ff00000L - 0x3fe6a09eL) << 32);
        // The biased exponent k + 1023 (0..2047) as a double, through the magic 2^52 (no int64 conversion needed).
        var biased = TL.ShiftRightBits(ix, 52) | TL.CreateBits(0x4330000000000000L);
        var k = biased - TL.Create(4503599627370496.0 + 1023.0);
        var m = TL.AddBits(ix & TL.CreateBits(0x000fffffffffffffL), 0x3fe6a09eL << 32);
        var f = m - TL.One;
        var hfsq = TL.Create(0.5) * f * f;
        var s = f * TL.Reciprocal(TL.Create(2.0) + f);
        var z = s * s;
        var w = z * z;
        var t1 = w * TL.FusedMultiplyAdd(w, TL.FusedMultiplyAdd(w, TL.Create(1.531383769920937332e-01), TL.Create(2.222219843214978396e-01)), TL.Create(3.999999999940941908e-01));
        var t2 = z * TL.FusedMultiplyAdd(w, TL.FusedMultiplyAdd(w, TL.FusedMultiplyAdd(w, TL.Create(1.479819860511658591e-01), TL.Create(1.818357216161805012e-01)), TL.Create(2.857142874366239149e-01)), TL.Create(6.666666666666735130e-01));
        var lo = TL.FusedMultiplyAdd(k, TL.Create(1.90821492927058770002e-10), TL.FusedMultiplyAdd(s, hfsq + t1 + t2, -hfsq));
        return TL.FusedMultiplyAdd(k, TL.Create(6.93147180369123816490e-01), f + lo);
    }
}

/// <summary>Which lanes the raw-row kernels use here.</summary>
internal static class RowVectors
{
    /// <summary>256-bit lanes with fused multiply-add (AVX2): rows of at least 4 values take them.</summary>
    public static bool Has256 { get; } = Vector256.IsHardwareAccelerated && Fma.IsSupported && Avx2.IsSupported;

    /// <summary>512-bit lanes (AVX-512): rows of at least 8 values take them.</summary>
    public static bool Has512 { get; } = Has256 && Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <summary>The lanes of a row of <paramref name="width"/> values: 8, 4, or 0 for the scalar loop (a row narrower than one vector, or no vectors here).</summary>
    public static int LanesFor(int width) => Has512 && width >= 8 ? 8 : Has256 && width >= 4 ? 4 : 0;

    /// <summary>
    /// The rows per block (<see cref="RowBlock{T}"/>) for rows of <paramref name="width"/> values: a vector's lanes (8
    /// or 4) for rows of fewer than 16 values (a vector exponential per class then costs less than the row's own
    /// vectors, partly masked, one row at a time), else 0 (row by row).
    /// </summary>
    public static int BlockLanesFor(int width) => width < 16 ? (Has512 ? 8 : Has256 ? 4 : 0) : 0;

    /// <summary>
    /// The vector of a row of <paramref name="width"/> (≥ one vector) values at <paramref name="column"/>: it starts at
    /// min(column, width - lanes), so the last one overlaps the one before; <paramref name="indices"/> holds its
    /// columns, <paramref name="fresh"/> masks those from <paramref name="column"/> on.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Window<TL>(int column, int width, out TL indices, out TL fresh)
        where TL : struct, ILanes<TL>
    {
        int start = Math.Min(column, width - TL.Count);
        indices = TL.Indices + TL.Create(start);
        fresh = TL.GreaterThanOrEqual(indices, TL.Create(column));
        return start;
    }
}

/// <summary>256-bit lanes: 4 doubles.</summary>
internal readonly struct Lanes256(Vector256<double> value) : IVectorLanes<Lanes256>
{
    private readonly Vector256<double> _v = value;

    public static int Count => 4;

    public static Lanes256 Zero { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => default; }

    public static Lanes256 One { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(Vector256<double>.One); }

    public static Lanes256 AllBitsSet { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(Vector256<double>.AllBitsSet); }

    public static Lanes256 Indices { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(Vector256<double>.Indices); }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Create(double value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Load(ref double at, int offset) => new(Vector256.LoadUnsafe(ref at, (nuint)offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double at, int offset) => _v.StoreUnsafe(ref at, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator +(Lanes256 a, Lanes256 b) => new(a._v + b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator -(Lanes256 a, Lanes256 b) => new(a._v - b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator *(Lanes256 a, Lanes256 b) => new(a._v * b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator -(Lanes256 a) => new(-a._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator &(Lanes256 a, Lanes256 b) => new(a._v & b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator |(Lanes256 a, Lanes256 b) => new(a._v | b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 AndNot(Lanes256 a, Lanes256 mask) => new(Vector256.AndNot(a._v, mask._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Select(Lanes256 mask, Lanes256 a, Lanes256 b) => new(Vector256.ConditionalSelect(mask._v, a._v, b._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Abs(Lanes256 a) => new(Vector256.Abs(a._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Max(Lanes256 a, Lanes256 b) => new(Vector256.Max(a._v, b._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 GreaterThan(Lanes256 a, Lanes256 b) => new(Vector256.GreaterThan(a._v, b._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 GreaterThanOrEqual(Lanes256 a, Lanes256 b) => new(Vector256.GreaterThanOrEqual(a._v, b._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Equal(Lanes256 a, Lanes256 b) => new(Vector256.Equals(a._v, b._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Lanes256 v) => (v._v.GetElement(0) + v._v.GetElement(1)) + (v._v.GetElement(2) + v._v.GetElement(3));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MaxOf(Lanes256 v) => Math.Max(Math.Max(v._v.GetElement(0), v._v.GetElement(1)), Math.Max(v._v.GetElement(2), v._v.GetElement(3)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllFinite(Lanes256 v) => Vector256.EqualsAll((v._v - v._v).AsInt64(), Vector256<long>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 FusedMultiplyAdd(Lanes256 a, Lanes256 b, Lanes256 c) => new(Vector256.FusedMultiplyAdd(a._v, b._v, c._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 LessThan(Lanes256 a, Lanes256 b) => new(Vector256.LessThan(a._v, b._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 AtLeast(Lanes256 a, double floor) => new(Vector256.Max(a._v, Vector256.Create(floor)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 CreateBits(long bits) => new(Vector256.Create(bits).AsDouble());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 AddBits(Lanes256 a, long bits) => new((a._v.AsInt64() + Vector256.Create(bits)).AsDouble());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 ShiftLeftBits(Lanes256 a, int count) => new(Vector256.ShiftLeft(a._v.AsInt64(), count).AsDouble());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 ShiftRightBits(Lanes256 a, int count) => new(Vector256.ShiftRightLogical(a._v.AsInt64(), count).AsDouble());

    /// <inheritdoc cref="ILanes{TSelf}.Exp"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Exp(Lanes256 d) => LaneMath.Exp(d);

    /// <inheritdoc cref="ILanes{TSelf}.Log"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Log(Lanes256 x) => LaneMath.Log(x);

    /// <inheritdoc cref="ILanes{TSelf}.Reciprocal"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Reciprocal(Lanes256 u)
    {
        if (Avx512F.VL.IsSupported)
        {
            var one = Vector256<double>.One;
            var y = Avx512F.VL.Reciprocal14(u._v);
            y = Vector256.FusedMultiplyAdd(y, Vector256.FusedMultiplyAdd(-u._v, y, one), y);
            return new(Vector256.FusedMultiplyAdd(y, Vector256.FusedMultiplyAdd(-u._v, y, one), y));
        }
        return new(Vector256<double>.One / u._v);
    }
}

/// <summary>512-bit lanes: 8 doubles.</summary>
internal readonly struct Lanes512(Vector512<double> value) : IVectorLanes<Lanes512>
{
    private readonly Vector512<double> _v = value;

    public static int Count => 8;

    public static Lanes512 Zero { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => default; }

    public static Lanes512 One { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(Vector512<double>.One); }

    public static Lanes512 AllBitsSet { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(Vector512<double>.AllBitsSet); }

    public static Lanes512 Indices { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => new(Vector512<double>.Indices); }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Create(double value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Load(ref double at, int offset) => new(Vector512.LoadUnsafe(ref at, (nuint)offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double at, int offset) => _v.StoreUnsafe(ref at, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator +(Lanes512 a, Lanes512 b) => new(a._v + b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator -(Lanes512 a, Lanes512 b) => new(a._v - b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator *(Lanes512 a, Lanes512 b) => new(a._v * b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator -(Lanes512 a) => new(-a._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator &(Lanes512 a, Lanes512 b) => new(a._v & b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator |(Lanes512 a, Lanes512 b) => new(a._v | b._v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 AndNot(Lanes512 a, Lanes512 mask) => new(Vector512.AndNot(a._v, mask._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Select(Lanes512 mask, Lanes512 a, Lanes512 b) => new(Vector512.ConditionalSelect(mask._v, a._v, b._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Abs(Lanes512 a) => new(Vector512.Abs(a._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Max(Lanes512 a, Lanes512 b) => new(Vector512.Max(a._v, b._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 GreaterThan(Lanes512 a, Lanes512 b) => new(Vector512.GreaterThan(a._v, b._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 GreaterThanOrEqual(Lanes512 a, Lanes512 b) => new(Vector512.GreaterThanOrEqual(a._v, b._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Equal(Lanes512 a, Lanes512 b) => new(Vector512.Equals(a._v, b._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Lanes512 v) => Lanes256.Sum(new(v._v.GetLower())) + Lanes256.Sum(new(v._v.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MaxOf(Lanes512 v) => Math.Max(Lanes256.MaxOf(new(v._v.GetLower())), Lanes256.MaxOf(new(v._v.GetUpper())));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllFinite(Lanes512 v) => Vector512.EqualsAll((v._v - v._v).AsInt64(), Vector512<long>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 FusedMultiplyAdd(Lanes512 a, Lanes512 b, Lanes512 c) => new(Vector512.FusedMultiplyAdd(a._v, b._v, c._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 LessThan(Lanes512 a, Lanes512 b) => new(Vector512.LessThan(a._v, b._v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 AtLeast(Lanes512 a, double floor) => new(Vector512.Max(a._v, Vector512.Create(floor)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 CreateBits(long bits) => new(Vector512.Create(bits).AsDouble());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 AddBits(Lanes512 a, long bits) => new((a._v.AsInt64() + Vector512.Create(bits)).AsDouble());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 ShiftLeftBits(Lanes512 a, int count) => new(Vector512.ShiftLeft(a._v.AsInt64(), count).AsDouble());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 ShiftRightBits(Lanes512 a, int count) => new(Vector512.ShiftRightLogical(a._v.AsInt64(), count).AsDouble());

    /// <inheritdoc cref="ILanes{TSelf}.Exp"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Exp(Lanes512 d) => LaneMath.Exp(d);

    /// <inheritdoc cref="ILanes{TSelf}.Log"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Log(Lanes512 x) => LaneMath.Log(x);

    /// <inheritdoc cref="ILanes{TSelf}.Reciprocal"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Reciprocal(Lanes512 u)
    {
        if (Avx512F.IsSupported)
        {
            var one = Vector512<double>.One;
            var y = Avx512F.Reciprocal14(u._v);
            y = Vector512.FusedMultiplyAdd(y, Vector512.FusedMultiplyAdd(-u._v, y, one), y);
            return new(Vector512.FusedMultiplyAdd(y, Vector512.FusedMultiplyAdd(-u._v, y, one), y));
        }
        return new(Vector512<double>.One / u._v);
    }
}

/// <summary>One lane: the scalar loop of a kernel written against <see cref="ILanes{TSelf}"/> (rows narrower than a vector, or no vectors here).</summary>
internal readonly struct LanesScalar(double value) : ILanes<LanesScalar>
{
    private readonly double _v = value;

    public static int Count => 1;

    public static LanesScalar Zero => default;

    public static LanesScalar One => new(1.0);

    public static LanesScalar AllBitsSet => new(BitConverter.Int64BitsToDouble(-1L));

    public static LanesScalar Indices => default;

    public static LanesScalar Create(double value) => new(value);

    public static LanesScalar Load(ref double at, int offset) => new(Unsafe.Add(ref at, offset));

    public void Store(ref double at, int offset) => Unsafe.Add(ref at, offset) = _v;

    public static LanesScalar operator +(LanesScalar a, LanesScalar b) => new(a._v + b._v);

    public static LanesScalar operator -(LanesScalar a, LanesScalar b) => new(a._v - b._v);

    public static LanesScalar operator *(LanesScalar a, LanesScalar b) => new(a._v * b._v);

    public static LanesScalar operator -(LanesScalar a) => new(-a._v);

    public static LanesScalar operator &(LanesScalar a, LanesScalar b) => new(BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a._v) & BitConverter.DoubleToInt64Bits(b._v)));

    public static LanesScalar operator |(LanesScalar a, LanesScalar b) => new(BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a._v) | BitConverter.DoubleToInt64Bits(b._v)));

    public static LanesScalar AndNot(LanesScalar a, LanesScalar mask) => new(BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a._v) & ~BitConverter.DoubleToInt64Bits(mask._v)));

    public static LanesScalar Select(LanesScalar mask, LanesScalar a, LanesScalar b) => BitConverter.DoubleToInt64Bits(mask._v) != 0 ? a : b;

    public static LanesScalar Abs(LanesScalar a) => new(Math.Abs(a._v));

    public static LanesScalar Max(LanesScalar a, LanesScalar b) => new(Math.Max(a._v, b._v));

    public static LanesScalar GreaterThan(LanesScalar a, LanesScalar b) => a._v > b._v ? AllBitsSet : Zero;

    public static LanesScalar GreaterThanOrEqual(LanesScalar a, LanesScalar b) => a._v >= b._v ? AllBitsSet : Zero;

    public static LanesScalar Equal(LanesScalar a, LanesScalar b) => a._v == b._v ? AllBitsSet : Zero;

    public static double Sum(LanesScalar v) => v._v;

    public static double MaxOf(LanesScalar v) => v._v;

    public static bool AllFinite(LanesScalar v) => double.IsFinite(v._v);

    public static LanesScalar Exp(LanesScalar d) => new(Math.Exp(d._v));

    public static LanesScalar Log(LanesScalar x) => new(Math.Log(x._v));

    public static LanesScalar Reciprocal(LanesScalar u) => new(1 / u._v);
}
