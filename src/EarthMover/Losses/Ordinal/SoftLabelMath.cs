namespace EarthMover.Losses.Ordinal;

/// <summary>The numerics of the interval-based soft-label shapes (docs/math.md §19): beta, triangular, generalised triangular, geometric.</summary>
internal static class SoftLabelMath
{
    /// <summary>
    /// The beta parameters (p, q) per K of Vargas, Gutiérrez and Hervás-Martínez 2022 ("standard" set, as
    /// tabulated in dlordinal's soft_labelling/beta_distribution.py; the third parameter a is 1 throughout). Data.
    /// </summary>
    public static readonly IReadOnlyDictionary<int, int[][]> BetaStandard = new Dictionary<int, int[][]>
    {
        [3] = [[1, 4], [4, 4], [4, 1]],
        [4] = [[1, 6], [6, 10], [10, 6], [6, 1]],
        [5] = [[1, 8], [6, 14], [12, 12], [14, 6], [8, 1]],
        [6] = [[1, 10], [7, 20], [15, 20], [20, 15], [20, 7], [10, 1]],
        [7] = [[1, 12], [7, 26], [16, 28], [24, 24], [28, 16], [26, 7], [12, 1]],
        [8] = [[1, 14], [7, 31], [17, 37], [27, 35], [35, 27], [37, 17], [31, 7], [14, 1]],
        [9] = [[1, 16], [8, 40], [18, 47], [30, 47], [40, 40], [47, 30], [47, 18], [40, 8], [16, 1]],
        [10] = [[1, 18], [8, 45], [19, 57], [32, 59], [45, 55], [55, 45], [59, 32], [57, 19], [45, 8], [18, 1]],
        [11] = [[1, 21], [8, 51], [20, 68], [34, 73], [48, 69], [60, 60], [69, 48], [73, 34], [68, 20], [51, 8], [21, 1]],
        [12] = [[1, 23], [8, 56], [20, 76], [35, 85], [51, 85], [65, 77], [77, 65], [85, 51], [85, 35], [76, 20], [56, 8], [23, 1]],
        [13] = [[1, 25], [8, 61], [20, 84], [36, 98], [53, 100], [70, 95], [84, 84], [95, 70], [100, 53], [98, 36], [84, 20], [61, 8], [25, 1]],
        [14] = [[1, 27], [2, 17], [5, 23], [9, 27], [13, 28], [18, 28], [23, 27], [27, 23], [28, 18], [28, 13], [27, 9], [23, 5], [17, 2], [27, 1]],
    };

    /// <summary>dlordinal's interval points of [0, 1] for K classes: linspace(10⁻⁹, 1 - 10⁻⁹, K + 1).</summary>
    public static double[] IntervalPoints(int k)
    {
        var x = new double[k + 1];
        const double low = 1e-9, high = 1 - 1e-9;
        for (int i = 0; i <= k; i++)
        {
            x[i] = i == k ? high : low + (high - low) * i / k;
        }
        return x;
    }

    /// <summary>The regularised incomplete beta function I_x(p, q) for integer p, q ≥ 1: P(Binomial(p + q - 1, x) ≥ p).</summary>
    public static double BetaCdf(int p, int q, double x)
    {
        int n = p + q - 1;
        double logX = Math.Log(x), log1mX = Math.Log(1 - x);
        var logFactorial = new double[n + 1];
        for (int i = 2; i <= n; i++)
        {
            logFactorial[i] = logFactorial[i - 1] + Math.Log(i);
        }
        double sum = 0;
        for (int j = p; j <= n; j++)
        {
            sum += Math.Exp(logFactorial[n] - logFactorial[j] - logFactorial[n - j] + j * logX + (n - j) * log1mX);
        }
        return Math.Min(sum, 1.0);
    }

    /// <summary>A triangular distribution's (a, b, c) CDF.</summary>
    private static double TriangleCdf(double x, double a, double b, double c)
    {
        if (x <= a)
        {
            return 0;
        }
        if (x >= b)
        {
            return 1;
        }
        return x <= c ? (x - a) * (x - a) / ((b - a) * (c - a)) : 1 - (b - x) * (b - x) / ((b - a) * (b - c));
    }

    /// <summary>Row y: the mass of each interval under triangle y.</summary>
    public static double[,] TriangleRows(int k, (double A, double B, double C)[] triangles)
    {
        var x = IntervalPoints(k);
        var m = new double[k, k];
        for (int y = 0; y < k; y++)
        {
            var (a, b, c) = triangles[y];
            for (int i = 0; i < k; i++)
            {
                m[y, i] = TriangleCdf(x[i + 1], a, b, c) - TriangleCdf(x[i], a, b, c);
            }
        }
        return m;
    }

    /// <summary>The triangles of Vargas et al. 2023 (Information Fusion) for α₂ (docs/math.md §19).</summary>
    public static (double, double, double)[] TriangularParameters(int k, double alpha2)
    {
        double s = Math.Sqrt(2 * alpha2);
        double alpha1 = Math.Pow((1 - Math.Sqrt(1 - 4 * (1 - 2 * alpha2) * (2 * alpha2 - s))) / 2, 2);
        double ratio = (k - 1.0) / k;
        double alpha3 = Math.Pow((1 - Math.Sqrt(1 - 4 * ratio * ratio * (1 - 2 * alpha2) * (s * (s - 1)))) / 2, 2);
        var abc = new (double, double, double)[k];
        for (int j = 1; j <= k; j++)
        {
            if (j == 1)
            {
                abc[0] = (0.0, 1.0 / ((1.0 - Math.Sqrt(alpha1)) * k), 0.0);
            }
            else if (j == k)
            {
                double r = 1.0 / (k * (Math.Sqrt(alpha3) - 1.0));
                double a = 1.0 + r > 0.0 ? 1.0 + r : 1.0 - r;
                abc[k - 1] = (a, 1.0, 1.0);
            }
            else
            {
                double den = 2.0 * k * (1 - 2 * alpha2);
                double na = 2.0 * j - 2 - 4 * j * alpha2 + 2 * alpha2;
                double nb = 2.0 * j - 4 * j * alpha2 + 2 * alpha2;
                double a = (na + s) / den < (j - 1.0) / k ? (na + s) / den : (na - s) / den;
                double b = (nb + s) / den > (double)j / k ? (nb + s) / den : (nb - s) / den;
                abc[j - 1] = (a, b, (a + b) / 2.0);
            }
        }
        return abc;
    }

    /// <summary>The generalised triangles (Vargas et al. 2023, Information Sciences), dlordinal's indexing of the 2K errors.</summary>
    public static (double, double, double)[] GeneralTriangularParameters(int k, double[] alphas)
    {
        if (alphas.Length != 2 * k)
        {
            throw OrdinalMath.Invalid($"alphas has {alphas.Length} entries but {k} classes need 2K = {2 * k}.", "alphas");
        }
        var abc = new (double, double, double)[k];
        for (int c = 0; c < k; c++)
        {
            double left = (double)c / k, right = (c + 1.0) / k;
            if (c == 0)
            {
                abc[c] = (0.0, 1.0 / ((1.0 - Math.Sqrt(alphas[2])) * k), 0.0);
                continue;
            }
            if (c == k - 1)
            {
                abc[c] = (1.0 - 1.0 / (k * (1.0 - Math.Sqrt(alphas[2 * k - 1]))), 1.0, 1.0);
                continue;
            }
            double al = alphas[2 * c + 1], ar = alphas[2 * c + 2];
            if (!(al > 0 && ar > 0))
            {
                throw OrdinalMath.Invalid($"alphas[{2 * c + 1}] = {al} and alphas[{2 * c + 2}] = {ar}: the errors of an interior class must be > 0.", "alphas");
            }
            double mode = (left + right) / 2, a = left - 0.5 / k, b = right + 0.5 / k;
            // Newton's method on ((L - a)² = αl (b - a)(c - a), (b - R)² = αr (b - a)(b - c)).
            for (int iteration = 0; iteration < 100; iteration++)
            {
                double f1 = (left - a) * (left - a) - al * (b - a) * (mode - a);
                double f2 = (b - right) * (b - right) - ar * (b - a) * (b - mode);
                double j11 = -2 * (left - a) + al * (mode - a) + al * (b - a);
                double j12 = -al * (mode - a);
                double j21 = ar * (b - mode);
                double j22 = 2 * (b - right) - ar * ((b - mode) + (b - a));
                double det = j11 * j22 - j12 * j21;
                double da = (f1 * j22 - f2 * j12) / det;
                double db = (j11 * f2 - j21 * f1) / det;
                a -= da;
                b -= db;
                if (Math.Abs(da) + Math.Abs(db) < 1e-16)
                {
                    break;
                }
            }
            if (!(a < left && b > right) || !double.IsFinite(a) || !double.IsFinite(b))
            {
                throw OrdinalMath.Invalid($"alphas: no triangle with errors {al} and {ar} for class {c}; choose smaller errors.", "alphas");
            }
            abc[c] = (a, b, mode);
        }
        return abc;
    }

    /// <summary>The geometric shape (Haas and Hüllermeier 2023, as dlordinal), one α, one per class, or per-class triples.</summary>
    public static double[,] GeometricRows(int k, double alpha, (double Alpha, double Left, double Right)[]? perClass)
    {
        var m = new double[k, k];
        for (int y = 0; y < k; y++)
        {
            double a = perClass?[y].Alpha ?? alpha;
            bool sided = perClass is not null && !double.IsNaN(perClass[y].Left);
            if (sided)
            {
                double fl = y == 0 ? 0 : y == k - 1 ? 1 : perClass![y].Left;
                double fr = y == 0 ? 1 : y == k - 1 ? 0 : perClass![y].Right;
                double gl = 0, gr = 0;
                for (int i = 0; i < y; i++)
                {
                    gl += Math.Pow(a, y - i) * (1 - a);
                }
                for (int i = y + 1; i < k; i++)
                {
                    gr += Math.Pow(a, i - y) * (1 - a);
                }
                for (int c = 0; c < k; c++)
                {
                    m[y, c] = c == y ? 1 - a
                        : c < y ? (fl > 0 ? fl * a * Math.Pow(a, y - c) * (1 - a) / gl : 0)
                        : (fr > 0 ? fr * a * Math.Pow(a, c - y) * (1 - a) / gr : 0);
                }
            }
            else
            {
                double g = 0;
                for (int c = 0; c < k; c++)
                {
                    if (c != y)
                    {
                        g += Math.Pow(a, Math.Abs(y - c)) * (1 - a);
                    }
                }
                for (int c = 0; c < k; c++)
                {
                    m[y, c] = c == y ? 1 - a : a * Math.Pow(a, Math.Abs(y - c)) * (1 - a) / g;
                }
            }
        }
        return m;
    }
}
