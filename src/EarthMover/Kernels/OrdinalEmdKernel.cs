using System.Numerics;
using System.Runtime.Intrinsics;

namespace EarthMover.Kernels;

/// <summary>
/// One row of the ordered-class loss (SPEC §1): with P and T the CDFs of prediction and target and
/// w_m = x_{m+1} - x_m the gaps between class positions,
/// L = s · Σ_{m&lt;C-1} w_m |P_m - T_m|^l, and, when <see cref="Root"/> is set, L^(1/l).
/// dL/dp_j = Σ_{m≥j} a_m with a_m = s · w_m · l |d_m|^(l-1) sign(d_m), a suffix sum; through softmax
/// dL/dz = p ⊙ (g - ⟨p, g⟩), where ⟨p, g⟩ = Σ_m a_m P_m comes out of the forward scan for free.
/// </summary>
internal sealed class OrdinalEmdKernel<T> : IRowKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _gaps; // w_m, padded with zeros from m = C - 1 on.
    private readonly T _exponent;
    private readonly ExponentKind _kind;

    public OrdinalEmdKernel(int classes, double[] gaps, double exponent, double normalization, bool root)
    {
        Classes = classes;
        Padded = Padding.Length(classes, Vector256<T>.Count);
        _gaps = new T[Padded];
        for (int m = 0; m < classes - 1; m++)
        {
            _gaps[m] = T.CreateChecked(gaps[m]);
        }
        _exponent = T.CreateChecked(exponent);
        _kind = exponent == 2 ? ExponentKind.Two : exponent == 1 ? ExponentKind.One : ExponentKind.General;
        Scale = T.CreateChecked(normalization);
        Root = root;
    }

    public int Classes { get; }

    public int Padded { get; }

    /// <summary>s: 1/C (the paper) or 1 (the plain sum).</summary>
    public T Scale { get; }

    /// <summary>Whether the loss is EMD_l itself (NIMA's form) rather than its l-th power.</summary>
    public bool Root { get; }

    public bool NeedsSoftTargets => true;

    public T Row(Span<Vector256<T>> row, Span<Vector256<T>> scratch, long target, ReadOnlySpan<Vector256<T>> soft, bool logits, T gradScale, bool needGrad)
    {
        var gaps = System.Runtime.InteropServices.MemoryMarshal.Cast<T, Vector256<T>>(_gaps.AsSpan());
        var step = Vector256.Create(T.CreateChecked(Vector256<T>.Count));
        var index = VectorMath.Indices<T>();
        var classIndex = Vector256.Create(T.CreateChecked(target));
        var carry = Vector256<T>.Zero;
        var targetCarry = Vector256<T>.Zero;
        var loss = Vector256<T>.Zero;
        var dot = Vector256<T>.Zero;
        var s = Vector256.Create(Scale);
        bool hard = soft.IsEmpty;

        for (int c = 0; c < row.Length; c++)
        {
            var prefix = VectorMath.PrefixSum(row[c]);
            var cdf = prefix + carry;
            carry += VectorMath.BroadcastLast(prefix);
            Vector256<T> targetCdf;
            if (hard)
            {
                targetCdf = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(index, classIndex), Vector256<T>.One, Vector256<T>.Zero);
                index += step;
            }
            else
            {
                var targetPrefix = VectorMath.PrefixSum(soft[c]);
                targetCdf = targetPrefix + targetCarry;
                targetCarry += VectorMath.BroadcastLast(targetPrefix);
            }
            var d = cdf - targetCdf;
            var w = gaps[c];
            Vector256<T> a;
            switch (_kind)
            {
                case ExponentKind.Two:
                    var wd = w * d;
                    loss += wd * d;
                    a = (s + s) * wd;
                    break;
                case ExponentKind.One:
                    loss += w * Vector256.Abs(d);
                    a = s * w * Sign(d);
                    break;
                default:
                    var (term, derivative) = GeneralPower(d);
                    loss += w * term;
                    a = s * w * derivative;
                    break;
            }
            scratch[c] = a;
            dot += a * cdf;
        }

        T value = Scale * Vector256.Sum(loss);
        T factor = T.One;
        if (Root)
        {
            T rooted = _kind == ExponentKind.One ? value : T.Pow(value, T.One / _exponent);
            // d(L^(1/l))/dL = L^(1/l) / (l L); the subgradient 0 where L = 0 keeps the gradient finite.
            factor = value > T.Zero ? rooted / (_exponent * value) : T.Zero;
            value = rooted;
        }
        if (!needGrad)
        {
            return value;
        }

        var scale = Vector256.Create(gradScale * factor);
        var dotAll = Vector256.Create(Vector256.Sum(dot));
        var suffixCarry = Vector256<T>.Zero;
        for (int c = row.Length - 1; c >= 0; c--)
        {
            var suffix = VectorMath.SuffixSum(scratch[c]);
            var g = suffix + suffixCarry;
            suffixCarry += VectorMath.BroadcastFirst(suffix);
            row[c] = logits ? row[c] * (g - dotAll) * scale : g * scale;
        }
        return value;
    }

    private static Vector256<T> Sign(Vector256<T> d) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(d, Vector256<T>.Zero), Vector256<T>.One, Vector256<T>.Zero)
        - Vector256.ConditionalSelect(Vector256.LessThan(d, Vector256<T>.Zero), Vector256<T>.One, Vector256<T>.Zero);

    // |d|^l and l |d|^(l-1) sign(d), lane by lane: a rare setting, so plain scalar Pow.
    private (Vector256<T> Term, Vector256<T> Derivative) GeneralPower(Vector256<T> d)
    {
        Span<T> term = stackalloc T[Vector256<T>.Count];
        Span<T> derivative = stackalloc T[Vector256<T>.Count];
        for (int i = 0; i < Vector256<T>.Count; i++)
        {
            T x = d[i];
            T magnitude = T.Abs(x);
            T lower = magnitude == T.Zero ? T.Zero : T.Pow(magnitude, _exponent - T.One);
            term[i] = lower * magnitude;
            derivative[i] = _exponent * lower * T.CreateChecked(T.Sign(x));
        }
        return (Vector256.Create<T>(term), Vector256.Create<T>(derivative));
    }

    private enum ExponentKind
    {
        Two,
        One,
        General,
    }
}
