using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EarthMover.Kernels.Rows;

namespace EarthMover;

/// <summary>Soft-label cross-entropy (docs/math.md §19).</summary>
internal sealed class SoftLabelCeDefinition : RawRowDefinition
{
    private readonly SoftLabelShape _shape;
    private readonly double _eta;
    private readonly double _smoothing;
    private SoftTargets _targets = new([], [], []);
    private int _classes;

    public SoftLabelCeDefinition(SoftLabelShape shape, double? eta, double? labelSmoothing)
    {
        ArgumentNullException.ThrowIfNull(shape);
        _shape = shape;
        _eta = Fraction(eta ?? 1.0, "eta");
        _smoothing = Fraction(labelSmoothing ?? 0.0, "label_smoothing");
    }

    public override string Name => "soft_label_ce_loss";

    internal static double Fraction(double value, string parameter) =>
        value is >= 0 and <= 1 ? value : throw OrdinalMath.Invalid($"{parameter} = {value}; it must lie in [0, 1].", parameter);

    public override void CheckClasses(int classes)
    {
        var m = _shape.Matrix(classes);
        if (m.GetLength(0) != classes)
        {
            throw OrdinalMath.Invalid($"shape {_shape} has {m.GetLength(0)} classes but input has {classes}.", "shape");
        }
        _classes = classes;
        // The shape caches its matrix per K, and the target rows depend on that matrix, η and the smoothing only:
        // built once, not on every call (K² values, 80 kB at K = 100).
        var rows = TargetsCache.GetOrCreateValue(m);
        _targets = rows.GetOrAdd((_eta, _smoothing), key => SoftTargets.Of(Targets(_shape.Matrix(classes, key.Eta), classes, key.Smoothing), classes));
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<double[,], System.Collections.Concurrent.ConcurrentDictionary<(double Eta, double Smoothing), SoftTargets>> TargetsCache = new();

    /// <summary>The mixed rows (<see cref="SoftLabelShape.Matrix(int, double)"/>) with label smoothing, row-major.</summary>
    private static double[] Targets(double[,] mixed, int classes, double smoothing)
    {
        var targets = new double[classes * classes];
        for (int y = 0; y < classes; y++)
        {
            for (int k = 0; k < classes; k++)
            {
                targets[y * classes + k] = (1 - smoothing) * mixed[y, k] + smoothing / classes;
            }
        }
        return targets;
    }

    public override IRawRowKernel? RawRowKernel(int classes, bool logits) => logits ? (RowVectors.BlockLanesFor(classes) == 8 ? new SoftTargetKernel<Lanes512>(classes, _targets) : new SoftTargetKernel<Lanes256>(classes, _targets)) : null;

    public override Tensor TensorRows(Tensor input, Tensor target, bool logits)
    {
        using var scope = torch.NewDisposeScope();
        var t = torch.tensor(_targets.Rows, _classes, _classes, dtype: input.dtype, device: input.device).index_select(0, target.to(ScalarType.Int64));
        if (logits)
        {
            return (t * input.log_softmax(1)).sum(1).neg().MoveToOuterDisposeScope();
        }
        // 0 log 0 = 0: where the target is 0 the probability is replaced by 1 before the log (no 0 · ∞ in backward).
        var positive = t.gt(0);
        var safe = torch.where(positive, input, torch.ones_like(input));
        return (t * safe.log()).sum(1).neg().MoveToOuterDisposeScope();
    }
}

/// <summary>The target rows of every class (K x K, row y the distribution of class y), as float32 too, and each row's mass Σ_k t_k.</summary>
internal sealed record SoftTargets(double[] Rows, float[] Singles, double[] Masses)
{
    public static SoftTargets Of(double[] rows, int classes)
    {
        var masses = new double[classes];
        for (int y = 0; y < classes; y++)
        {
            masses[y] = rows.AsSpan(y * classes, classes).ToArray().Sum();
        }
        return new(rows, Array.ConvertAll(rows, v => (float)v), masses);
    }
}

/// <summary>L = Σ_k t_k (lse(z) - z_k), dL/dz = (Σ t) p - t, for the target row of the class (docs/math.md §19).</summary>
/// <typeparam name="TB">The lanes of a block (<see cref="RowVectors.BlockLanesFor"/>), chosen where the kernel is built.</typeparam>
internal sealed class SoftTargetKernel<TB>(int classes, SoftTargets soft) : IRawRowKernel, ISingleRowKernel
    where TB : struct, ILanes<TB>
{
    [ThreadStatic]
    private static double[]? _work;

    private readonly double[] targets = soft.Rows;

    public int Classes => classes;

    public int BlockLanes { get; } = RowVectors.BlockLanesFor(classes);

    public long RowCost => 6L * classes;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Row(ReadOnlySpan<double> x, int target, Span<double> gradient)
    {
        var t = new ReadOnlySpan<double>(targets, target * classes, classes);
        int lanes = RowVectors.LanesFor(classes);
        if (lanes != 0)
        {
            return lanes == 8 ? Vectors<Lanes512>(x, t, gradient) : Vectors<Lanes256>(x, t, gradient);
        }
        double max = double.NegativeInfinity;
        for (int k = 0; k < classes; k++)
        {
            max = Math.Max(max, x[k]);
        }
        double total = 0;
        for (int k = 0; k < classes; k++)
        {
            total += Math.Exp(x[k] - max);
        }
        double lse = max + Math.Log(total);
        double loss = 0, mass = 0;
        for (int k = 0; k < classes; k++)
        {
            loss += t[k] * (lse - x[k]);
            mass += t[k];
        }
        if (!gradient.IsEmpty)
        {
            for (int k = 0; k < classes; k++)
            {
                gradient[k] = mass * Math.Exp(x[k] - lse) - t[k];
            }
        }
        return loss;
    }

    /// <summary>The rows of a block, one per lane: the same sums as <see cref="Vectors{TL}"/>, one exponential per class.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Block(ReadOnlySpan<double> x, ReadOnlySpan<int> rows, Span<double> gradient, Span<double> losses)
    {
        int lanes = TB.Count;
        int size = classes * lanes;
        var work = _work is { } w && w.Length >= size ? w : (_work = new double[size]);
        // The rows' target distributions, class-major like the block.
        for (int r = 0; r < lanes; r++)
        {
            int at = rows[r] * classes;
            for (int k = 0; k < classes; k++)
            {
                work[k * lanes + r] = targets[at + k];
            }
        }
        ref double x0 = ref MemoryMarshal.GetReference(x);
        ref double t0 = ref work[0];
        ref double g0 = ref MemoryMarshal.GetReference(gradient);
        bool grad = !gradient.IsEmpty;
        var max = TB.Load(ref x0, 0);
        for (int k = 1; k < classes; k++)
        {
            max = TB.Max(max, TB.Load(ref x0, k * lanes));
        }
        TB total = TB.Zero, mass = TB.Zero, dot = TB.Zero;
        for (int k = 0; k < classes; k++)
        {
            var v = TB.Load(ref x0, k * lanes) - max;
            var tv = TB.Load(ref t0, k * lanes);
            var e = TB.Exp(v);
            total += e;
            mass += tv;
            dot += tv * v;
            if (grad)
            {
                e.Store(ref g0, k * lanes);
            }
        }
        (mass * TB.Log(total) - dot).Store(ref MemoryMarshal.GetReference(losses), 0);
        if (grad)
        {
            var scale = mass * TB.Reciprocal(total);
            for (int k = 0; k < classes; k++)
            {
                (scale * TB.Load(ref g0, k * lanes) - TB.Load(ref t0, k * lanes)).Store(ref g0, k * lanes);
            }
        }
        return true;
    }

    public bool HasSingleRows => classes >= SingleLanes.Count && SingleExp.IsSupported;

    /// <summary>
    /// A float32 row, 8 a vector (the last overlapping the one before, its repeated lanes masked), as
    /// <see cref="Vectors{TL}"/>: L = (Σt) log Σe - Σ t_k (x_k - max), the second sum of terms of one sign, Σe split
    /// into the largest logits' count and the rest (log Σe from the rest where the largest is alone: Σe near 1 keeps
    /// its small part); e kept in the gradient's place for dL/dz = (Σt) e / Σe - t.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryRowSingle(ReadOnlySpan<float> x, int target, Span<float> gradient, float scale, out double loss)
    {
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float g0 = ref MemoryMarshal.GetReference(gradient);
        ref float t0 = ref soft.Singles[target * classes];
        bool grad = !gradient.IsEmpty;
        var max = Vector256.Create(SingleLanes.Max(x));
        Vector256<float> others = default, ties = default, dot = default;
        for (int k = 0; k < classes; k += SingleLanes.Count)
        {
            int start = SingleLanes.Start(k, classes, out _, out var fresh);
            var v = Vector256.LoadUnsafe(ref x0, (nuint)start) - max;
            var e = SingleExp.Exp(v);
            var isTop = Vector256.Equals(v, Vector256<float>.Zero);
            others += Vector256.AndNot(fresh, isTop) & e;
            ties += fresh & isTop & Vector256<float>.One;
            dot += fresh & (Vector256.LoadUnsafe(ref t0, (nuint)start) * v);
            if (grad)
            {
                e.StoreUnsafe(ref g0, (nuint)start);
            }
        }
        double mass = soft.Masses[target];
        double rest = SingleLanes.Sum(others), count = SingleLanes.Sum(ties);
        double logTotal = count == 1 ? OrdinalMath.LogOnePlus(rest) : Math.Log(count + rest);
        loss = mass * logTotal - SingleLanes.Sum(dot);
        if (grad)
        {
            var f = Vector256.Create((float)(mass / (count + rest)));
            var s = Vector256.Create(scale);
            for (int k = 0; k < classes; k += SingleLanes.Count)
            {
                int start = Math.Min(k, classes - SingleLanes.Count);
                // Overlapped lanes hold the gradient already: the last vector recomputes its e.
                var e = start == k ? Vector256.LoadUnsafe(ref g0, (nuint)start) : SingleExp.Exp(Vector256.LoadUnsafe(ref x0, (nuint)start) - max);
                ((f * e - Vector256.LoadUnsafe(ref t0, (nuint)start)) * s).StoreUnsafe(ref g0, (nuint)start);
            }
        }
        return true;
    }

    /// <summary>
    /// The row a vector at a time (the last vector overlapping the one before, its repeated lanes masked):
    /// e^(x - max) kept in the gradient's place, so that p = e / Σe needs no second exponential.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Vectors<TL>(ReadOnlySpan<double> x, ReadOnlySpan<double> t, Span<double> gradient)
        where TL : struct, ILanes<TL>
    {
        ref double x0 = ref MemoryMarshal.GetReference(x);
        ref double t0 = ref MemoryMarshal.GetReference(t);
        ref double g0 = ref MemoryMarshal.GetReference(gradient);
        bool grad = !gradient.IsEmpty;
        int last = classes - TL.Count;
        var top = TL.Create(double.NegativeInfinity);
        for (int k = 0; k < classes; k += TL.Count)
        {
            top = TL.Max(top, TL.Load(ref x0, Math.Min(k, last)));
        }
        var max = TL.Create(TL.MaxOf(top));
        TL total = TL.Zero, mass = TL.Zero, dot = TL.Zero;
        for (int k = 0; k < classes; k += TL.Count)
        {
            int start = Math.Min(k, last);
            var fresh = TL.GreaterThanOrEqual(TL.Indices + TL.Create(start), TL.Create(k));
            var v = TL.Load(ref x0, start) - max;
            var tv = TL.Load(ref t0, start);
            var e = TL.Exp(v);
            total += fresh & e;
            mass += fresh & tv;
            dot += fresh & (tv * v);
            if (grad)
            {
                e.Store(ref g0, start);
            }
        }
        double sum = TL.Sum(total);
        double m = TL.Sum(mass);
        // L = Σ t_k (lse - x_k) = (Σt) log Σe - Σ t_k (x_k - max).
        double loss = m * Math.Log(sum) - TL.Sum(dot);
        if (grad)
        {
            var scale = TL.Create(m / sum);
            for (int k = 0; k < classes; k += TL.Count)
            {
                int start = Math.Min(k, last);
                // Overlapped lanes hold the gradient already: the last vector recomputes its e.
                var e = start == k ? TL.Load(ref g0, start) : TL.Exp(TL.Load(ref x0, start) - max);
                (scale * e - TL.Load(ref t0, start)).Store(ref g0, start);
            }
        }
        return loss;
    }
}
