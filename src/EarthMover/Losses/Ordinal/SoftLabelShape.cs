using System.Collections.Concurrent;

namespace EarthMover;

/// <summary>The distance of a SORD target shape (docs/math.md §19).</summary>
public enum SordDistance
{
    /// <summary>|k - y| (dlordinal's SORDLoss).</summary>
    Absolute,

    /// <summary>(k - y)².</summary>
    Squared,
}

/// <summary>
/// A soft-label target shape (docs/math.md §19): a K x K matrix M whose row y is the target distribution for
/// true class y, for <see cref="earthmover.nn.functional.soft_label_ce_loss"/>. A shape is data, not a loss: the
/// factories below give the shapes of SORD, DLDL (Gaussian) and dlordinal's unimodal family; <see cref="Matrix(int)"/>
/// builds the matrix for a number of classes (cached), <see cref="Targets"/> the target rows of a batch.
/// </summary>
public sealed class SoftLabelShape
{
    private readonly Func<int, double[,]> _build;
    private readonly ConcurrentDictionary<int, double[,]> _cache = new();

    private SoftLabelShape(string name, Func<int, double[,]> build)
    {
        Name = name;
        _build = build;
    }

    /// <summary>The shape's name and options, for messages and reports.</summary>
    public string Name { get; }

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>Discretised Gaussian (DLDL): M_yk ∝ exp(-(k - y)²/(2σ²)) on 0..K-1, renormalised.</summary>
    /// <param name="sigma">σ &gt; 0, in class steps.</param>
    public static SoftLabelShape Gaussian(double sigma)
    {
        OrdinalMath.Positive(sigma, nameof(sigma));
        return new($"gaussian(sigma={sigma})", k => SoftmaxRows(k, (y, c) => -((c - y) * (c - y)) / (2 * sigma * sigma)));
    }

    /// <summary>SORD (Díaz and Marathe 2019): M_yk = softmax_k(-α φ(y, k)).</summary>
    /// <param name="alpha">α &gt; 0.</param>
    /// <param name="distance">|k - y| (default, dlordinal) or (k - y)².</param>
    public static SoftLabelShape Sord(double alpha, SordDistance distance = SordDistance.Absolute)
    {
        OrdinalMath.Positive(alpha, nameof(alpha));
        if (!Enum.IsDefined(distance))
        {
            throw new ArgumentException($"distance = {distance} is not a SordDistance value.", nameof(distance));
        }
        return new($"sord(alpha={alpha}, {distance})", k => SoftmaxRows(k, (y, c) =>
            -alpha * (distance == SordDistance.Absolute ? Math.Abs(c - y) : (double)(c - y) * (c - y))));
    }

    /// <summary>SORD with any distance between classes: M_yk = softmax_k(-α D[y, k]) (e.g. dlordinal's proximity matrices).</summary>
    /// <param name="alpha">α &gt; 0.</param>
    /// <param name="distance">The K x K distance.</param>
    public static SoftLabelShape Sord(double alpha, GroundDistance distance)
    {
        OrdinalMath.Positive(alpha, nameof(alpha));
        ArgumentNullException.ThrowIfNull(distance);
        return new($"sord(alpha={alpha}, matrix)", k =>
        {
            Check.ClassCount(k, distance.Classes, nameof(distance));
            return SoftmaxRows(k, (y, c) => -alpha * distance[y, c]);
        });
    }

    /// <summary>
    /// SORD with any K x K matrix φ of finite values (a distance need not be one: dlordinal's proximity constructions
    /// have a non-zero diagonal): M_yk = softmax_k(-α φ[y, k]).
    /// </summary>
    /// <param name="alpha">α &gt; 0.</param>
    /// <param name="phi">The K x K values φ(y, k).</param>
    public static SoftLabelShape Sord(double alpha, double[,] phi)
    {
        OrdinalMath.Positive(alpha, nameof(alpha));
        ArgumentNullException.ThrowIfNull(phi);
        int k = phi.GetLength(0);
        if (k < 2 || phi.GetLength(1) != k)
        {
            throw new ArgumentException($"phi is {k} x {phi.GetLength(1)}; it must be K x K with K >= 2.", nameof(phi));
        }
        foreach (var v in phi)
        {
            if (!double.IsFinite(v))
            {
                throw new ArgumentException($"phi holds {v}; its values must be finite.", nameof(phi));
            }
        }
        var copy = (double[,])phi.Clone();
        return new($"sord(alpha={alpha}, matrix)", classes =>
        {
            Check.Classes(classes, k, nameof(phi));
            return SoftmaxRows(classes, (y, c) => -alpha * copy[y, c]);
        });
    }

    /// <summary>Binomial (Liu et al. 2020, dlordinal): row y is Binomial(K - 1, p_y), p_y = 0.1 + 0.8 y/(K - 1).</summary>
    public static SoftLabelShape Binomial() => new("binomial", k =>
    {
        var m = new double[k, k];
        var logFactorial = LogFactorials(k);
        for (int y = 0; y < k; y++)
        {
            double p = 0.1 + 0.8 * y / (k - 1);
            for (int c = 0; c < k; c++)
            {
                m[y, c] = Math.Exp(logFactorial[k - 1] - logFactorial[c] - logFactorial[k - 1 - c] + c * Math.Log(p) + (k - 1 - c) * Math.Log(1 - p));
            }
        }
        return m;
    });

    /// <summary>Poisson (Liu et al. 2020, as dlordinal): row y is the softmax over k of the Poisson(y + 1) probabilities themselves.</summary>
    public static SoftLabelShape Poisson() => new("poisson", k =>
    {
        var logFactorial = LogFactorials(k);
        return SoftmaxRows(k, (y, c) => Math.Exp(c * Math.Log(y + 1.0) - (y + 1.0) - logFactorial[c]));
    });

    /// <summary>Exponential (Vargas et al. 2023): M_yk = softmax_k(-|k - y|^p / τ).</summary>
    /// <param name="p">The power p &gt; 0 (default 1).</param>
    /// <param name="tau">The temperature τ &gt; 0 (default 1).</param>
    public static SoftLabelShape Exponential(double p = 1.0, double tau = 1.0)
    {
        OrdinalMath.Positive(p, nameof(p));
        OrdinalMath.Positive(tau, nameof(tau));
        return new($"exponential(p={p}, tau={tau})", k => SoftmaxRows(k, (y, c) => -Math.Pow(Math.Abs(c - y), p) / tau));
    }

    /// <summary>
    /// Beta (Vargas, Gutiérrez and Hervás-Martínez 2022): row y is the mass of K equal intervals of [0, 1] (ends kept
    /// 10⁻⁹ inside, as dlordinal) under Beta(p_y, q_y) with the paper's parameters; the "standard" set has K = 3..14.
    /// </summary>
    /// <param name="paramsSet">The parameter set: "standard".</param>
    public static SoftLabelShape Beta(string paramsSet = "standard")
    {
        if (paramsSet != "standard")
        {
            throw new ArgumentException($"paramsSet = \"{paramsSet}\"; the beta shape has the \"standard\" parameter set only.", nameof(paramsSet));
        }
        return new("beta(standard)", k =>
        {
            if (!SoftLabelMath.BetaStandard.TryGetValue(k, out var rows))
            {
                throw OrdinalMath.Invalid($"the beta shape's standard parameters exist for K = 3..14 classes; input has {k}.", "shape");
            }
            var x = SoftLabelMath.IntervalPoints(k);
            var m = new double[k, k];
            for (int y = 0; y < k; y++)
            {
                for (int c = 0; c < k; c++)
                {
                    m[y, c] = SoftLabelMath.BetaCdf(rows[y][0], rows[y][1], x[c + 1]) - SoftLabelMath.BetaCdf(rows[y][0], rows[y][1], x[c]);
                }
            }
            return m;
        });
    }

    /// <summary>Triangular (Vargas et al. 2023, Information Fusion): each interior class leaves α₂ in each neighbour.</summary>
    /// <param name="alpha2">α₂ in (0, 0.25) (default 0.05).</param>
    public static SoftLabelShape Triangular(double alpha2 = 0.05)
    {
        if (!(alpha2 > 0 && alpha2 < 0.25))
        {
            throw new ArgumentException($"alpha2 = {alpha2}; it must lie in (0, 0.25).", nameof(alpha2));
        }
        return new($"triangular(alpha2={alpha2})", k => SoftLabelMath.TriangleRows(k, SoftLabelMath.TriangularParameters(k, alpha2)));
    }

    /// <summary>
    /// Generalised triangular (Vargas et al. 2023, Information Sciences): class k's left and right errors are
    /// alphas[2k + 1] and alphas[2k + 2] (dlordinal's indexing; alphas[0] and alphas[1] are not read).
    /// </summary>
    /// <param name="alphas">2K values in [0, 1); the interior classes' values must be &gt; 0.</param>
    public static SoftLabelShape GeneralTriangular(IReadOnlyList<double> alphas)
    {
        ArgumentNullException.ThrowIfNull(alphas);
        var copy = alphas.ToArray();
        foreach (var a in copy)
        {
            if (!(a >= 0 && a < 1))
            {
                throw new ArgumentException($"alphas holds {a}; every error must lie in [0, 1).", nameof(alphas));
            }
        }
        return new("general_triangular", k => SoftLabelMath.TriangleRows(k, SoftLabelMath.GeneralTriangularParameters(k, copy)));
    }

    /// <summary>Geometric (Haas and Hüllermeier 2023): the true class keeps 1 - α, α spreads geometrically to the others.</summary>
    /// <param name="alpha">α in (0, 1) (default 0.1).</param>
    public static SoftLabelShape Geometric(double alpha = 0.1) => Geometric(alpha, null);

    /// <summary>Geometric with one α per class.</summary>
    /// <param name="alphas">K values in (0, 1).</param>
    public static SoftLabelShape Geometric(IReadOnlyList<double> alphas)
    {
        ArgumentNullException.ThrowIfNull(alphas);
        return Geometric(double.NaN, [.. alphas.Select(a => (a, double.NaN, double.NaN))]);
    }

    /// <summary>Geometric with one (α, F_l, F_r) per class: F_l α goes to the left and F_r α to the right (F_l + F_r = 1); the end classes send all to their one side.</summary>
    /// <param name="alphas">K triples.</param>
    public static SoftLabelShape Geometric(IReadOnlyList<(double Alpha, double Left, double Right)> alphas)
    {
        ArgumentNullException.ThrowIfNull(alphas);
        foreach (var (_, l, r) in alphas)
        {
            if (!(l >= 0 && r >= 0 && Math.Abs(l + r - 1) <= 1e-9))
            {
                throw new ArgumentException($"alphas holds F_l = {l}, F_r = {r}; they must be >= 0 and sum to 1.", nameof(alphas));
            }
        }
        return Geometric(double.NaN, alphas.ToArray());
    }

    private static SoftLabelShape Geometric(double alpha, (double Alpha, double Left, double Right)[]? perClass)
    {
        var all = perClass?.Select(t => t.Alpha) ?? [alpha];
        foreach (var a in all)
        {
            if (!(a > 0 && a < 1))
            {
                throw OrdinalMath.Invalid($"alpha = {a}; the geometric shape needs 0 < alpha < 1.", perClass is null ? nameof(alpha) : "alphas");
            }
        }
        return new("geometric", k =>
        {
            if (perClass is not null && perClass.Length != k)
            {
                throw OrdinalMath.Invalid($"alphas has {perClass.Length} entries but input has {k} classes.", "alphas");
            }
            return SoftLabelMath.GeometricRows(k, alpha, perClass);
        });
    }

    /// <summary>A user-given K x K matrix; each row must be a distribution.</summary>
    /// <param name="matrix">Row y is the target distribution for class y.</param>
    public static SoftLabelShape FromMatrix(double[,] matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int k = matrix.GetLength(0);
        if (k < 2 || matrix.GetLength(1) != k)
        {
            throw new ArgumentException($"matrix is {k} x {matrix.GetLength(1)}; it must be K x K with K >= 2.", nameof(matrix));
        }
        for (int y = 0; y < k; y++)
        {
            double total = 0;
            for (int c = 0; c < k; c++)
            {
                double v = matrix[y, c];
                if (!(v >= 0) || double.IsInfinity(v))
                {
                    throw new ArgumentException($"matrix[{y}, {c}] = {v}; entries must be finite and >= 0.", nameof(matrix));
                }
                total += v;
            }
            if (Math.Abs(total - 1) > LossValidation.DistributionTolerance)
            {
                throw new ArgumentException($"matrix row {y} sums to {total}; each row must be a distribution.", nameof(matrix));
            }
        }
        var copy = (double[,])matrix.Clone();
        return new("matrix", classes =>
        {
            Check.Classes(classes, k, nameof(matrix));
            return copy;
        });
    }

    /// <summary>The K x K matrix of this shape (row y: the target for class y); a shared, cached array: do not modify it.</summary>
    /// <param name="classes">K ≥ 2.</param>
    /// <exception cref="ArgumentException">The shape is not defined for K classes.</exception>
    public double[,] Matrix(int classes)
    {
        if (classes < 2)
        {
            throw new ArgumentException($"classes = {classes}; there must be K >= 2 classes.", nameof(classes));
        }
        return _cache.GetOrAdd(classes, _build);
    }

    /// <summary>
    /// The rows <c>soft_label_ce_loss</c> trains on with mixing weight η (before label smoothing): η M + (1 − η) I,
    /// row y = η M[y] + (1 − η) e_y. Build targets for another loss from it to match what the loss uses.
    /// </summary>
    /// <param name="classes">K ≥ 2.</param>
    /// <param name="eta">η in [0, 1]; 1 gives the shape's own rows, 0 the one-hot rows.</param>
    /// <returns>A new K x K array (the caller may modify it).</returns>
    /// <exception cref="ArgumentException">η outside [0, 1], or the shape is not defined for K classes.</exception>
    public double[,] Matrix(int classes, double eta)
    {
        if (!(eta is >= 0 and <= 1))
        {
            throw new ArgumentException($"eta = {eta}; it must lie in [0, 1].", nameof(eta));
        }
        var m = Matrix(classes);
        var mixed = new double[classes, classes];
        for (int y = 0; y < classes; y++)
        {
            for (int k = 0; k < classes; k++)
            {
                mixed[y, k] = (1 - eta) * (k == y ? 1 : 0) + eta * m[y, k];
            }
        }
        return mixed;
    }

    /// <summary>The target rows of a batch: N x K, row i = M[target_i], on the target's device, of <paramref name="dtype"/>.</summary>
    /// <param name="target">N class indices in [0, K).</param>
    /// <param name="classes">K.</param>
    /// <param name="dtype">The element type (default float64).</param>
    public Tensor Targets(Tensor target, int classes, ScalarType dtype = ScalarType.Float64)
    {
        ArgumentNullException.ThrowIfNull(target);
        using var scope = torch.NewDisposeScope();
        var m = torch.tensor(Matrix(classes), dtype: dtype, device: target.device);
        return m.index_select(0, target.to(ScalarType.Int64)).MoveToOuterDisposeScope();
    }

    private static double[,] SoftmaxRows(int k, Func<int, int, double> score)
    {
        var m = new double[k, k];
        for (int y = 0; y < k; y++)
        {
            double max = double.NegativeInfinity;
            for (int c = 0; c < k; c++)
            {
                m[y, c] = score(y, c);
                max = Math.Max(max, m[y, c]);
            }
            double total = 0;
            for (int c = 0; c < k; c++)
            {
                m[y, c] = Math.Exp(m[y, c] - max);
                total += m[y, c];
            }
            for (int c = 0; c < k; c++)
            {
                m[y, c] /= total;
            }
        }
        return m;
    }

    private static double[] LogFactorials(int k)
    {
        var f = new double[Math.Max(k, 2) + 1];
        for (int i = 2; i < f.Length; i++)
        {
            f[i] = f[i - 1] + Math.Log(i);
        }
        return f;
    }
}
