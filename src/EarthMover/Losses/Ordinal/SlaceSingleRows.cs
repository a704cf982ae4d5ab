using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EarthMover.Kernels.Rows;

namespace EarthMover;

/// <summary>
/// SLACE's tables for float32 rows, rows of <see cref="Stride"/> = K + 8 (zeros past K, so that a row's last vector
/// reads zeros): the target mass Q_d at each distance d from the target, H_d = Σ_{d' &lt; d} Q_d', and how many
/// distances the loss needs logarithms for.
/// </summary>
internal sealed class SlaceSingleTables
{
    /// <summary>A dropped tail of the loss is at most this fraction of the loss (see <see cref="LogDistances"/>).</summary>
    private const double TailShare = 1e-9;

    /// <summary>
    /// The far distances' share of the gradient left out where a row's mass there is small (see <see cref="TDistances"/>):
    /// Σ_{d ≥ D} Q_d ≤ 10⁻¹³ Q_0.
    /// </summary>
    private const double FarShare = 1e-13;

    private SlaceSingleTables(int stride, float[] groups, float[] before, int[] logDistances, int[] tDistances)
    {
        Stride = stride;
        Groups = groups;
        Before = before;
        LogDistances = logDistances;
        TDistances = tDistances;
    }

    /// <summary>The length of a table row: K + 8.</summary>
    public int Stride { get; }

    /// <summary>Q_d for target y at [y · Stride + d].</summary>
    public float[] Groups { get; }

    /// <summary>H_d = Σ_{d' &lt; d} Q_d' for target y at [y · Stride + d].</summary>
    public float[] Before { get; }

    /// <summary>
    /// For target y, the distances d0 whose terms Q_d log(C_last / C_d) the loss sums: the smallest d0 with
    /// Σ_{d ≥ d0} Q_d ≤ 10⁻⁹ Σ_{d &lt; d0} Q_d. The log factors fall with d, so the terms left out add at most 10⁻⁹
    /// of the loss (below float32 resolution); the gradient keeps every distance.
    /// </summary>
    public int[] LogDistances { get; }

    /// <summary>
    /// For target y, the distances D (a multiple of 8, at least <see cref="LogDistances"/>, or every distance) whose
    /// t_d the gradient sums where the row allows it: the smallest D with Σ_{d ≥ D} Q_d ≤ 10⁻¹³ Q_0. The terms
    /// Q_d t_d left out of σ add at most t_D Σ_{d ≥ D} Q_d (t falls with d), and H_d + σ_d ≥ Q_0 min(1, t_{D-1}) at
    /// every d, so where t_{D-1} ≤ 10⁴ (the rows that use it) they change no W_d by more than 10⁻⁹ of the terms it
    /// is a difference of, far below the float32 rounding of that difference.
    /// </summary>
    public int[] TDistances { get; }

    /// <summary>The largest t_{D-1} (mass beyond the first D distances over the mass within) that leaves out the far t's.</summary>
    public const float FarRatio = 1e4f;

    /// <summary>The tables from SLACE's <paramref name="groups"/> (Q_d for target y at [y · K + d]).</summary>
    public static SlaceSingleTables From(double[] groups, int classes)
    {
        int stride = classes + 8;
        var single = new float[classes * stride];
        var before = new float[classes * stride];
        var logDistances = new int[classes];
        var tDistances = new int[classes];
        for (int y = 0; y < classes; y++)
        {
            int distances = Math.Max(y, classes - 1 - y) + 1;
            var tail = new double[distances + 1];
            for (int d = distances - 1; d >= 0; d--)
            {
                tail[d] = tail[d + 1] + groups[y * classes + d];
            }
            double head = 0;
            logDistances[y] = distances;
            for (int d = 0; d < distances; d++)
            {
                single[y * stride + d] = (float)groups[y * classes + d];
                before[y * stride + d] = (float)head;
                head += groups[y * classes + d];
                if (logDistances[y] == distances && tail[d + 1] <= TailShare * head)
                {
                    logDistances[y] = d + 1;
                }
            }
            int cut = (logDistances[y] + 7) / 8 * 8;
            while (cut < distances && tail[cut] > FarShare * groups[y * classes])
            {
                cut += 8;
            }
            tDistances[y] = Math.Min(cut, distances);
        }
        return new(stride, single, before, logDistances, tDistances);
    }
}

/// <summary>
/// SLACE's float32 rows (<see cref="ISingleRowKernel"/>), by distance d from the target y, 8 distances a vector:
/// e_k = e^(z_k - max); c_d = e_{y-d} + e_{y+d} (e_y at d = 0) from one forward and one backward read of a row padded
/// with zeros; C_d = Σ_{d' ≤ d} c_d' and T_d = Σ_{d' &gt; d} c_d' by scans (terms of one sign, no C_last - C_d); then
/// with t_d = T_d / C_d, L = Σ_d Q_d log1p(t_d) (log C_last / C_d without its cancellation where the row is right),
/// and dL/dz_k = e_k (H_d - σ_d) / C_last at d = |k - y|, with σ_d = Σ_{d' ≥ d} Q_d' t_d' (the double path's
/// Σq / C_last - ρ_d rewritten through 1/C_d = (1 + t_d) / C_last, which leaves no difference of near-equal sums where
/// the row is right). The gradient, computed by distance, goes back to class order by the same two reads. Past the
/// first D distances of <see cref="SlaceSingleTables.TDistances"/>, where the row's mass there allows it, σ_d is 0 and
/// the far distances need no scans or divisions: C_d only for d &lt; D, their total beyond.
/// </summary>
internal sealed partial class SlaceKernel<TB> : ISingleRowKernel
{
    [ThreadStatic]
    private static float[]? _singleWork;

    // The K whose zero padding the thread's buffer holds: rows of one K write only inside it, so it is cleared when
    // a kernel of another K takes the buffer (or it is new), not on every row.
    [ThreadStatic]
    private static int _paddedFor;

    public bool HasSingleRows => Classes >= SingleLanes.Count && SingleExp.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryRowSingle(ReadOnlySpan<float> x, int target, Span<float> gradient, float scale, out double loss)
    {
        const int lanes = SingleLanes.Count;
        int k = Classes;
        // Class-ordered rows sit at [pad, pad + k) of a 3k + 16 buffer, zeros around them; distance-ordered ones take k + 16.
        int pad = k + lanes;
        int padded = 3 * k + 2 * lanes;
        int span = k + 2 * lanes;
        int need = 2 * padded + 4 * span;
        var work = _singleWork is { } w && w.Length >= need ? w : (_singleWork = new float[need]);
        ref float b = ref MemoryMarshal.GetArrayDataReference(work);
        int eAt = 0, wAt = padded, cAt = 2 * padded, preAt = cAt + span, sufAt = preAt + span, tAt = sufAt + span;
        if (_paddedFor != k)
        {
            work.AsSpan(0, pad).Clear();
            work.AsSpan(pad + k, padded - pad - k).Clear();
            _paddedFor = k;
        }

        ref float x0 = ref MemoryMarshal.GetReference(x);
        var max = Vector256.Create(SingleLanes.Max(x));
        for (int c = 0; c < k; c += lanes)
        {
            int start = Math.Min(c, k - lanes);
            SingleExp.Exp(Vector256.LoadUnsafe(ref x0, (nuint)start) - max).StoreUnsafe(ref b, (nuint)(eAt + pad + start));
        }
        // Below the floor of single-precision exponentials the double path's exact running form takes the row.
        if (!(work[eAt + pad + target] >= SingleFloor))
        {
            loss = 0;
            return false;
        }

        // c_d, its prefix sums C_d over the first D distances (D = TDistances) and its total beyond them; where that
        // total is over 10⁴ C_{D-1}, the prefix sums of every distance, and D = every distance. Then the suffix sums
        // S_d (T_d = S_{d+1}) over the first D. Lanes past the last distance read zeros.
        var tables = singleTables;
        int distances = Math.Max(target, k - 1 - target) + 1;
        int vectors = (distances + lanes - 1) / lanes;
        int used = (tables.TDistances[target] + lanes - 1) / lanes;
        int y = eAt + pad + target;
        var carry = Vector256<float>.Zero;
        var far = Vector256<float>.Zero;
        for (int d = 0; d < vectors * lanes; d += lanes)
        {
            var down = SingleLanes.LoadReversed(ref b, y - d);
            var c = Vector256.LoadUnsafe(ref b, (nuint)(y + d)) + (d == 0 ? Avx.Blend(down, Vector256<float>.Zero, 1) : down);
            c.StoreUnsafe(ref b, (nuint)(cAt + d));
            if (d >= used * lanes)
            {
                far += c;
                continue;
            }
            // The carry's chain is one addition a vector: the vector's own total is broadcast beside it.
            var sums = SingleLanes.PrefixSums(c);
            (sums + carry).StoreUnsafe(ref b, (nuint)(preAt + d));
            carry += SingleLanes.Broadcast(sums, lanes - 1);
        }
        float farMass = (float)SingleLanes.Sum(far);
        float total = carry.ToScalar() + farMass;
        if (used < vectors && !(farMass <= SlaceSingleTables.FarRatio * carry.ToScalar()))
        {
            for (int d = used * lanes; d < vectors * lanes; d += lanes)
            {
                var sums = SingleLanes.PrefixSums(Vector256.LoadUnsafe(ref b, (nuint)(cAt + d)));
                (sums + carry).StoreUnsafe(ref b, (nuint)(preAt + d));
                carry += SingleLanes.Broadcast(sums, lanes - 1);
            }
            total = carry.ToScalar();
            used = vectors;
            farMass = 0;
        }
        Vector256.Create(farMass).StoreUnsafe(ref b, (nuint)(sufAt + used * lanes));
        carry = Vector256.Create(farMass);
        for (int d = (used - 1) * lanes; d >= 0; d -= lanes)
        {
            var sums = SingleLanes.SuffixSums(Vector256.LoadUnsafe(ref b, (nuint)(cAt + d)));
            (sums + carry).StoreUnsafe(ref b, (nuint)(sufAt + d));
            carry += SingleLanes.Broadcast(sums, 0);
        }

        // t_d = T_d / C_d over the first D distances (0 past the last distance), and the loss over those that carry it.
        ref float q0 = ref tables.Groups[target * tables.Stride];
        int logVectors = (tables.LogDistances[target] + lanes - 1) / lanes;
        var one = Vector256<float>.One;
        var sum = Vector256<float>.Zero;
        for (int v = 0; v < used; v++)
        {
            int d = v * lanes;
            var t = Vector256.LoadUnsafe(ref b, (nuint)(sufAt + d + 1)) / Vector256.LoadUnsafe(ref b, (nuint)(preAt + d));
            t.StoreUnsafe(ref b, (nuint)(tAt + d));
            if (v < logVectors)
            {
                // log1p(t) = log u + (t - (u - 1)) / u with u = 1 + t rounded.
                var u = one + t;
                sum += Vector256.LoadUnsafe(ref q0, (nuint)d) * (SingleLog.Log(u) + (t - (u - one)) / u);
            }
        }
        loss = SingleLanes.Sum(sum);
        if (gradient.IsEmpty)
        {
            return true;
        }

        // W_d = scale (H_d - σ_d) / C_last by distance, over the t's; σ_d = 0 past the first D distances.
        ref float h0 = ref tables.Before[target * tables.Stride];
        var factor = Vector256.Create(scale / total);
        for (int d = used * lanes; d < vectors * lanes; d += lanes)
        {
            (Vector256.LoadUnsafe(ref h0, (nuint)d) * factor).StoreUnsafe(ref b, (nuint)(tAt + d));
        }
        carry = Vector256<float>.Zero;
        for (int d = (used - 1) * lanes; d >= 0; d -= lanes)
        {
            var sums = SingleLanes.SuffixSums(Vector256.LoadUnsafe(ref q0, (nuint)d) * Vector256.LoadUnsafe(ref b, (nuint)(tAt + d)));
            ((Vector256.LoadUnsafe(ref h0, (nuint)d) - (sums + carry)) * factor).StoreUnsafe(ref b, (nuint)(tAt + d));
            carry += SingleLanes.Broadcast(sums, 0);
        }
        // Back to class order: classes y + d forwards, y - d backwards (lanes past either end land in the padding).
        int wy = wAt + pad + target;
        for (int d = 0; d < k - target; d += lanes)
        {
            Vector256.LoadUnsafe(ref b, (nuint)(tAt + d)).StoreUnsafe(ref b, (nuint)(wy + d));
        }
        for (int d = 1; d <= target; d += lanes)
        {
            SingleLanes.StoreReversed(Vector256.LoadUnsafe(ref b, (nuint)(tAt + d)), ref b, wy - d);
        }
        ref float g0 = ref MemoryMarshal.GetReference(gradient);
        for (int c = 0; c < k; c += lanes)
        {
            int start = Math.Min(c, k - lanes);
            (Vector256.LoadUnsafe(ref b, (nuint)(eAt + pad + start)) * Vector256.LoadUnsafe(ref b, (nuint)(wAt + pad + start))).StoreUnsafe(ref g0, (nuint)start);
        }
        return true;
    }
}
