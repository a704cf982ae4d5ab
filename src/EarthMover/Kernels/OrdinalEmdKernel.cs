using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EarthMover.Kernels;

/// <summary>
/// The ordered-class loss (docs/math.md §2) on a tile: with P and T the CDFs of prediction and target and
/// w_m = x_{m+1} - x_m the gaps between class positions, L = s · Σ_{m&lt;C-1} w_m |P_m - T_m|^l, and
/// L^(1/l) when the root is asked for. dL/dp_j = Σ_{m≥j} a_m with a_m = s · w_m · l |d_m|^(l-1) sign(d_m),
/// a suffix sum; through softmax dL/dz = p ⊙ (g - ⟨p, g⟩), where ⟨p, g⟩ = Σ_m a_m P_m comes out of the
/// forward scan for free.
/// </summary>
internal sealed class OrdinalEmdKernel<T> : ITileKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _slopes; // s · w_m · l, the constant part of a_m.
    private readonly T _exponent;
    private readonly bool _root;
    private readonly Shape _shape;

    public OrdinalEmdKernel(int classes, double[] gaps, double exponent, double normalization, bool root)
    {
        Classes = classes;
        _slopes = gaps.Select(w => T.CreateChecked(normalization * w * exponent)).ToArray();
        _exponent = T.CreateChecked(exponent);
        _root = root && exponent != 1;
        _shape = exponent == 2 ? Shape.Square : exponent == 1 ? Shape.Absolute : Shape.Power;
    }

    private enum Shape
    {
        Square,
        Absolute,
        Power,
    }

    public int Classes { get; }

    public bool AcceptsSoftTargets => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Vector256<T> Tile(Span<Vector256<T>> values, Vector256<T> inverse, Span<Vector256<T>> scratch, ReadOnlySpan<int> targets, ReadOnlySpan<Vector256<T>> soft, bool logits, Vector256<T> gradScale, bool needGrad)
    {
        var classIndex = TileLanes.Classes<T>(targets);
        var (value, dot) = _shape switch
        {
            Shape.Square => Forward<Square>(values, inverse, scratch, classIndex, soft),
            Shape.Absolute => Forward<Absolute>(values, inverse, scratch, classIndex, soft),
            _ => Forward<Power>(values, inverse, scratch, classIndex, soft),
        };
        var factor = Vector256<T>.One;
        if (_root)
        {
            (value, factor) = Root(value);
        }
        if (needGrad)
        {
            Backward(values, scratch, dot, logits ? gradScale * factor * inverse : gradScale * factor, logits);
        }
        return value;
    }

    // P_m, d_m = P_m - T_m, the loss, a_m (kept in scratch) and ⟨p, g⟩ = Σ a_m P_m.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (Vector256<T> Value, Vector256<T> Dot) Forward<TTerm>(Span<Vector256<T>> e, Vector256<T> inverse, Span<Vector256<T>> a, Vector256<T> classIndex, ReadOnlySpan<Vector256<T>> soft)
        where TTerm : struct, ITerm
    {
        var cdf = Vector256<T>.Zero; // Σ e, unnormalised
        var targetCdf = Vector256<T>.Zero;
        var sum = Vector256<T>.Zero;
        var dot = Vector256<T>.Zero;
        var m = Vector256<T>.Zero;
        bool hard = soft.IsEmpty;
        var slopes = _slopes;
        for (int i = 0; i < slopes.Length; i++)
        {
            cdf += e[i];
            if (hard)
            {
                targetCdf = Vector256.GreaterThanOrEqual(m, classIndex) & Vector256<T>.One;
                m += Vector256<T>.One;
            }
            else
            {
                targetCdf += soft[i];
            }
            var d = VectorMath.MultiplyAdd(cdf, inverse, -targetCdf);
            var ai = TTerm.Slope(d, Vector256.Create(slopes[i]), _exponent);
            sum += ai * d; // s w l |d|^l
            a[i] = ai;
            dot += ai * cdf;
        }
        return (sum * Vector256.Create(T.One / _exponent), dot * inverse);
    }

    // g_j = Σ_{m≥j} a_m, then dL/dz = p (g - ⟨p, g⟩) (scale already holds 1/Σe) or dL/dp = g, times the lane's scale.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Backward(Span<Vector256<T>> e, Span<Vector256<T>> a, Vector256<T> dot, Vector256<T> scale, bool logits)
    {
        int last = Classes - 1;
        var g = Vector256<T>.Zero;
        if (logits)
        {
            var scaledDot = dot * scale;
            e[last] = -e[last] * scaledDot;
            for (int i = last - 1; i >= 0; i--)
            {
                g += a[i];
                e[i] *= VectorMath.MultiplyAdd(g, scale, -scaledDot);
            }
        }
        else
        {
            e[last] = Vector256<T>.Zero;
            for (int i = last - 1; i >= 0; i--)
            {
                g += a[i];
                e[i] = g * scale;
            }
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

    /// <summary>How each exponent turns d into a_m, specialised so that the loop has no branches.</summary>
    private interface ITerm
    {
        /// <summary>a_m = slope_m · |d|^(l-1) sign(d), with slope_m = s · w_m · l.</summary>
        static abstract Vector256<T> Slope(Vector256<T> d, Vector256<T> slope, T exponent);
    }

    private readonly struct Square : ITerm
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> Slope(Vector256<T> d, Vector256<T> slope, T exponent) => slope * d;
    }

    private readonly struct Absolute : ITerm
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> Slope(Vector256<T> d, Vector256<T> slope, T exponent) =>
            (Vector256.GreaterThan(d, Vector256<T>.Zero) & slope) - (Vector256.LessThan(d, Vector256<T>.Zero) & slope);
    }

    // Any other exponent, lane by lane with scalar Pow (a rare setting).
    private readonly struct Power : ITerm
    {
        public static Vector256<T> Slope(Vector256<T> d, Vector256<T> slope, T exponent)
        {
            Span<T> a = stackalloc T[Vector256<T>.Count];
            for (int r = 0; r < a.Length; r++)
            {
                T x = d[r];
                T magnitude = T.Abs(x);
                a[r] = magnitude == T.Zero ? T.Zero : slope[r] * T.Pow(magnitude, exponent - T.One) * T.CreateChecked(T.Sign(x));
            }
            return Vector256.Create<T>(a);
        }
    }
}
