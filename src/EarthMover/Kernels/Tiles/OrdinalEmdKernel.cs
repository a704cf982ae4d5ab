using System.Numerics;
using System.Runtime.CompilerServices;

namespace EarthMover.Kernels;

/// <summary>
/// The ordered-class loss (docs/math.md §2) on a tile: with P and T the CDFs of prediction and target and
/// w_m = x_{m+1} - x_m the gaps between class positions, L = s · Σ_{m&lt;C-1} w_m |P_m - T_m|^l, and
/// L^(1/l) when the root is asked for. dL/dp_j = Σ_{m≥j} a_m with a_m = s · w_m · l |d_m|^(l-1) sign(d_m),
/// a suffix sum; through softmax dL/dz = p ⊙ (g - ⟨p, g⟩), where ⟨p, g⟩ = Σ_m a_m P_m comes out of the
/// forward scan for free.
/// </summary>
internal readonly struct OrdinalEmdKernel<T> : ITileBody<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _slopes; // s · w_m · l, the constant part of a_m.
    private readonly T _exponent;
    private readonly bool _root;
    private readonly Shape _shape;

    public OrdinalEmdKernel(int classes, double[] gaps, double exponent, double normalization, bool root)
    {
        Classes = classes;
        _slopes = new T[gaps.Length];
        for (int m = 0; m < gaps.Length; m++)
        {
            _slopes[m] = T.CreateChecked(normalization * gaps[m] * exponent);
        }
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

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public TV Tile<TV>(Span<TV> values, TV inverse, Span<TV> scratch, ReadOnlySpan<int> targets, ReadOnlySpan<TV> soft, bool logits, TV gradScale, bool needGrad)
        where TV : unmanaged, ISimd<TV, T>
    {
        var classIndex = TileLanes.Classes<T, TV>(targets);
        var (value, dot) = _shape switch
        {
            Shape.Square => Forward<TV, Square>(values, inverse, scratch, classIndex, soft),
            Shape.Absolute => Forward<TV, Absolute>(values, inverse, scratch, classIndex, soft),
            _ => Forward<TV, Power>(values, inverse, scratch, classIndex, soft),
        };
        var factor = TV.One;
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
    private (TV Value, TV Dot) Forward<TV, TTerm>(Span<TV> e, TV inverse, Span<TV> a, TV classIndex, ReadOnlySpan<TV> soft)
        where TV : unmanaged, ISimd<TV, T>
        where TTerm : struct, ITerm
    {
        var cdf = TV.Zero; // Σ e, unnormalised
        var targetCdf = TV.Zero;
        var sum = TV.Zero;
        var dot = TV.Zero;
        var m = TV.Zero;
        bool hard = soft.IsEmpty;
        var slopes = _slopes;
        for (int i = 0; i < slopes.Length; i++)
        {
            cdf += e[i];
            if (hard)
            {
                targetCdf = TV.GreaterThanOrEqual(m, classIndex) & TV.One;
                m += TV.One;
            }
            else
            {
                targetCdf += soft[i];
            }
            var d = TV.MultiplyAdd(cdf, inverse, -targetCdf);
            var ai = TTerm.Slope<TV>(d, TV.Create(slopes[i]), _exponent);
            sum += ai * d; // s w l |d|^l
            a[i] = ai;
            dot += ai * cdf;
        }
        return (sum * TV.Create(T.One / _exponent), dot * inverse);
    }

    // g_j = Σ_{m≥j} a_m, then dL/dz = p (g - ⟨p, g⟩) (scale already holds 1/Σe) or dL/dp = g, times the lane's scale.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Backward<TV>(Span<TV> e, Span<TV> a, TV dot, TV scale, bool logits)
        where TV : unmanaged, ISimd<TV, T>
    {
        int last = Classes - 1;
        var g = TV.Zero;
        if (logits)
        {
            var scaledDot = dot * scale;
            e[last] = -e[last] * scaledDot;
            for (int i = last - 1; i >= 0; i--)
            {
                g += a[i];
                e[i] *= TV.MultiplyAdd(g, scale, -scaledDot);
            }
        }
        else
        {
            e[last] = TV.Zero;
            for (int i = last - 1; i >= 0; i--)
            {
                g += a[i];
                e[i] = g * scale;
            }
        }
    }

    // L^(1/l) per lane, and its derivative L^(1/l) / (l L); zero where L = 0 so that the gradient stays finite.
    private (TV Value, TV Factor) Root<TV>(TV value)
        where TV : unmanaged, ISimd<TV, T>
    {
        Span<T> rooted = stackalloc T[TV.Count];
        Span<T> factor = stackalloc T[TV.Count];
        T inverse = T.One / _exponent;
        for (int r = 0; r < rooted.Length; r++)
        {
            T v = value[r];
            rooted[r] = v > T.Zero ? T.Pow(v, inverse) : T.Zero;
            factor[r] = v > T.Zero ? rooted[r] / (_exponent * v) : T.Zero;
        }
        return (TV.Create(rooted), TV.Create(factor));
    }

    /// <summary>How each exponent turns d into a_m, specialised so that the loop has no branches.</summary>
    private interface ITerm
    {
        /// <summary>a_m = slope_m · |d|^(l-1) sign(d), with slope_m = s · w_m · l.</summary>
        static abstract TV Slope<TV>(TV d, TV slope, T exponent)
            where TV : unmanaged, ISimd<TV, T>;
    }

    private readonly struct Square : ITerm
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV Slope<TV>(TV d, TV slope, T exponent)
            where TV : unmanaged, ISimd<TV, T> =>
            slope * d;
    }

    private readonly struct Absolute : ITerm
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV Slope<TV>(TV d, TV slope, T exponent)
            where TV : unmanaged, ISimd<TV, T> =>
            (TV.GreaterThan(d, TV.Zero) & slope) - (TV.LessThan(d, TV.Zero) & slope);
    }

    // Any other exponent, lane by lane with scalar Pow (a rare setting).
    private readonly struct Power : ITerm
    {
        public static TV Slope<TV>(TV d, TV slope, T exponent)
            where TV : unmanaged, ISimd<TV, T>
        {
            Span<T> a = stackalloc T[TV.Count];
            for (int r = 0; r < a.Length; r++)
            {
                T x = d[r];
                T magnitude = T.Abs(x);
                a[r] = magnitude == T.Zero ? T.Zero : slope[r] * T.Pow(magnitude, exponent - T.One) * T.CreateChecked(T.Sign(x));
            }
            return TV.Create(a);
        }
    }
}
