using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EarthMover.Kernels;

/// <summary>
/// The ordered-class loss (SPEC §1) on a tile: with P and T the CDFs of prediction and target and
/// w_m = x_{m+1} - x_m the gaps between class positions, L = s · Σ_{m&lt;C-1} w_m |P_m - T_m|^l, and
/// L^(1/l) when <see cref="Root"/> is set. dL/dp_j = Σ_{m≥j} a_m with a_m = s · w_m · l |d_m|^(l-1) sign(d_m),
/// a suffix sum; through softmax dL/dz = p ⊙ (g - ⟨p, g⟩), where ⟨p, g⟩ = Σ_m a_m P_m comes out of the
/// forward scan for free.
/// </summary>
internal sealed class OrdinalEmdKernel<T> : ITileKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _gaps;
    private readonly T _exponent;
    private readonly T _scale;
    private readonly bool _root;

    public OrdinalEmdKernel(int classes, double[] gaps, double exponent, double normalization, bool root)
    {
        Classes = classes;
        _gaps = gaps.Select(T.CreateChecked).ToArray();
        _exponent = T.CreateChecked(exponent);
        _scale = T.CreateChecked(normalization);
        _root = root && exponent != 1;
    }

    public int Classes { get; }

    public bool AcceptsSoftTargets => true;

    public Vector256<T> Tile(Span<Vector256<T>> probabilities, Span<Vector256<T>> scratch, ReadOnlySpan<int> targets, ReadOnlySpan<Vector256<T>> soft, bool logits, Vector256<T> gradScale, bool needGrad)
    {
        var classIndex = TileLanes.Classes<T>(targets);
        (Vector256<T> sum, Vector256<T> dot) = _exponent == T.CreateChecked(2)
            ? Forward<Square>(probabilities, scratch, classIndex, soft)
            : _exponent == T.One
                ? Forward<Absolute>(probabilities, scratch, classIndex, soft)
                : Forward<Power>(probabilities, scratch, classIndex, soft);
        var value = sum * Vector256.Create(_scale);
        var factor = Vector256<T>.One;
        if (_root)
        {
            (value, factor) = Root(value);
        }
        if (needGrad)
        {
            Backward(probabilities, scratch, dot, gradScale * factor, logits);
        }
        return value;
    }

    // P_m, d_m = P_m - T_m, the loss terms, a_m (kept in scratch) and ⟨p, g⟩ = Σ a_m P_m.
    private (Vector256<T> Sum, Vector256<T> Dot) Forward<TTerm>(Span<Vector256<T>> p, Span<Vector256<T>> a, Vector256<T> classIndex, ReadOnlySpan<Vector256<T>> soft)
        where TTerm : struct, ITerm
    {
        var cdf = Vector256<T>.Zero;
        var targetCdf = Vector256<T>.Zero;
        var sum = Vector256<T>.Zero;
        var dot = Vector256<T>.Zero;
        var m = Vector256<T>.Zero;
        var s = Vector256.Create(_scale);
        bool hard = soft.IsEmpty;
        for (int i = 0; i < _gaps.Length; i++)
        {
            cdf += p[i];
            if (hard)
            {
                targetCdf = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(m, classIndex), Vector256<T>.One, Vector256<T>.Zero);
                m += Vector256<T>.One;
            }
            else
            {
                targetCdf += soft[i];
            }
            var d = cdf - targetCdf;
            var w = Vector256.Create(_gaps[i]);
            var term = TTerm.Evaluate(d, _exponent, out var derivative);
            sum += w * term;
            var ai = s * w * derivative;
            a[i] = ai;
            dot += ai * cdf;
        }
        return (sum, dot);
    }

    // g_j = Σ_{m≥j} a_m, then dL/dz = p (g - ⟨p, g⟩) or dL/dp = g, times the lane's scale.
    private void Backward(Span<Vector256<T>> p, Span<Vector256<T>> a, Vector256<T> dot, Vector256<T> scale, bool logits)
    {
        int last = Classes - 1;
        var g = Vector256<T>.Zero;
        p[last] = logits ? p[last] * (g - dot) * scale : g;
        for (int i = last - 1; i >= 0; i--)
        {
            g += a[i];
            p[i] = logits ? p[i] * (g - dot) * scale : g * scale;
        }
    }

    // L^(1/l) per lane, and its derivative L^(1/l) / (l L); zero where L = 0 so that the gradient stays finite.
    private (Vector256<T> Value, Vector256<T> Factor) Root(Vector256<T> value)
    {
        Span<T> rooted = stackalloc T[Vector256<T>.Count];
        Span<T> factor = stackalloc T[Vector256<T>.Count];
        T inverse = T.One / _exponent;
        for (int r = 0; r < rooted.Length; r++)
        {
            T v = value[r];
            rooted[r] = v > T.Zero ? T.Pow(v, inverse) : T.Zero;
            factor[r] = v > T.Zero ? rooted[r] / (_exponent * v) : T.Zero;
        }
        return (Vector256.Create<T>(rooted), Vector256.Create<T>(factor));
    }

    /// <summary>|d|^l and its derivative l |d|^(l-1) sign(d), specialised per exponent.</summary>
    private interface ITerm
    {
        static abstract Vector256<T> Evaluate(Vector256<T> d, T exponent, out Vector256<T> derivative);
    }

    private readonly struct Square : ITerm
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> Evaluate(Vector256<T> d, T exponent, out Vector256<T> derivative)
        {
            derivative = d + d;
            return d * d;
        }
    }

    private readonly struct Absolute : ITerm
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> Evaluate(Vector256<T> d, T exponent, out Vector256<T> derivative)
        {
            derivative = Vector256.ConditionalSelect(Vector256.GreaterThan(d, Vector256<T>.Zero), Vector256<T>.One, Vector256<T>.Zero)
                - Vector256.ConditionalSelect(Vector256.LessThan(d, Vector256<T>.Zero), Vector256<T>.One, Vector256<T>.Zero);
            return Vector256.Abs(d);
        }
    }

    // Any other exponent: lane by lane with scalar Pow (a rare setting).
    private readonly struct Power : ITerm
    {
        public static Vector256<T> Evaluate(Vector256<T> d, T exponent, out Vector256<T> derivative)
        {
            Span<T> term = stackalloc T[Vector256<T>.Count];
            Span<T> slope = stackalloc T[Vector256<T>.Count];
            for (int r = 0; r < term.Length; r++)
            {
                T x = d[r];
                T magnitude = T.Abs(x);
                T lower = magnitude == T.Zero ? T.Zero : T.Pow(magnitude, exponent - T.One);
                term[r] = lower * magnitude;
                slope[r] = exponent * lower * T.CreateChecked(T.Sign(x));
            }
            derivative = Vector256.Create<T>(slope);
            return Vector256.Create<T>(term);
        }
    }
}
