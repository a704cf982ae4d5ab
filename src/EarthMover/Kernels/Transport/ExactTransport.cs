using System.Numerics;
using EarthMover.Kernels.Rows;

namespace EarthMover.Kernels.Transport;

/// <summary>
/// The exact optimal transport cost between two distributions p and t over C classes under a ground distance
/// D, one row at a time, with an optimal dual potential as its gradient. Built once per distance (the sorted
/// cells of D and whether D is a quasi-metric are computed here) and shared by all threads; each thread keeps
/// its own solver and buffers.
/// </summary>
/// <remarks>
/// <para>
/// Both distributions are first scaled to unit mass (they may be off by the distribution tolerance). When D
/// satisfies the triangle inequality D_ij ≤ D_ik + D_kj (checked once, within 1e-9 of the largest entry;
/// symmetry is not needed) some optimal plan leaves min(p_i, t_i) in place, so only the excess
/// p - t moves: a problem with the classes where p &gt; t as sources and those where p &lt; t as sinks, at most C
/// nodes in all. Otherwise the full problem between the supports of p and t is solved.
/// </para>
/// <para>
/// Potentials: from the solver's sink duals g, the c-transform F(x) = min_j (D_xj - g_j) over all classes x.
/// With (F, g) extended to every class this is a feasible dual (F_i + g_j ≤ D_ij) whose objective Σ F p +
/// Σ g t equals the optimal cost, so F is a gradient of the cost with respect to p (a subgradient where
/// the problem is degenerate), defined up to an added constant.
/// </para>
/// </remarks>
internal sealed class ExactTransport : IRowKernel
{
    /// <summary>Violations of the triangle inequality up to this fraction of the largest entry are ignored.</summary>
    internal const double TriangleTolerance = 1e-9;

    [ThreadStatic]
    private static Workspace? _workspace;

    private readonly double[] _distance;
    private readonly double _maxDistance;
    private readonly int[] _lineOrder;
    private readonly int[] _rowOrder;

    public ExactTransport(int classes, double[] distance)
    {
        Classes = classes;
        _distance = distance;
        _maxDistance = distance.Max();
        IsQuasiMetric = SatisfiesTriangleInequality(classes, distance);
        _lineOrder = LineOrder.Of(classes, distance);
        IsMonge = LineOrder.IsMonge(classes, distance, _lineOrder, 1e-12 * _maxDistance);
        _rowOrder = new int[classes * classes];
        var order = new int[classes];
        for (int k = 0; k < classes; k++)
        {
            // Each row's classes by increasing cost, equal costs in index order.
            for (int j = 0; j < classes; j++)
            {
                order[j] = j;
            }
            int row = k;
            Array.Sort(order, (a, b) => distance[row * classes + a] != distance[row * classes + b] ? distance[row * classes + a].CompareTo(distance[row * classes + b]) : a.CompareTo(b));
            order.CopyTo(_rowOrder, k * classes);
        }
    }

    public int Classes { get; }

    /// <summary>The simplex's pivot cap, or null for its default (tests lower it to see the cap end a solve cleanly).</summary>
    internal int? PivotLimit { get; init; }

    /// <summary>How the starting flow is chosen (tests and tuning set it; the default picks by the kind of D).</summary>
    internal StartRule Start { get; set; }

    public bool AcceptsSoftTargets => true;

    /// <summary>Whether D is a Monge matrix with the classes in <see cref="LineOrder"/>, so that the north-west corner rule is optimal.</summary>
    public bool IsMonge { get; }

    /// <summary>Whether D satisfies the triangle inequality (within <see cref="TriangleTolerance"/>), so that only the excess p - t needs moving.</summary>
    public bool IsQuasiMetric { get; }

    public long RowCost => (long)Classes * Classes * 4;

    public double Row(ReadOnlySpan<double> p, ReadOnlySpan<double> target, int targetIndex, Span<double> gradient)
    {
        if (target.IsEmpty)
        {
            // All mass moves to class k: the cost is linear, Σ_i p_i D_ik, and D[:, k] is an optimal potential.
            int c = Classes;
            double total = 0, value = 0;
            for (int i = 0; i < c; i++)
            {
                total += p[i];
                value += p[i] * _distance[i * c + targetIndex];
                if (!gradient.IsEmpty)
                {
                    gradient[i] = _distance[i * c + targetIndex];
                }
            }
            return value / total;
        }
        return Solve(p, target, gradient, null);
    }

    /// <summary>
    /// The optimal cost between p and t (each scaled to unit mass); writes an optimal potential F into
    /// <paramref name="potential"/> when it is not empty, and the plan's positive flows into <paramref name="plan"/> when given (tests).
    /// </summary>
    public double Solve(ReadOnlySpan<double> p, ReadOnlySpan<double> t, Span<double> potential, List<(int From, int To, double Mass)>? plan)
    {
        int c = Classes;
        var w = Workspace.For(c);
        double sp = 0, st = 0;
        for (int k = 0; k < c; k++)
        {
            sp += p[k];
            st += t[k];
        }
        double ip = 1 / sp, it = 1 / st;
        int m = 0, n = 0;
        if (IsQuasiMetric)
        {
            foreach (int k in _lineOrder)
            {
                double excess = p[k] * ip - t[k] * it;
                w.RowOf[k] = -1;
                w.ColumnOf[k] = -1;
                if (excess > 0)
                {
                    w.RowOf[k] = m;
                    w.RowClass[m] = k;
                    w.Supply[m++] = excess;
                }
                else if (excess < 0)
                {
                    w.ColumnOf[k] = n;
                    w.ColumnClass[n] = k;
                    w.Demand[n++] = -excess;
                }
            }
        }
        else
        {
            foreach (int k in _lineOrder)
            {
                w.RowOf[k] = -1;
                w.ColumnOf[k] = -1;
                if (p[k] > 0)
                {
                    w.RowOf[k] = m;
                    w.RowClass[m] = k;
                    w.Supply[m++] = p[k] * ip;
                }
                if (t[k] > 0)
                {
                    w.ColumnOf[k] = n;
                    w.ColumnClass[n] = k;
                    w.Demand[n++] = t[k] * it;
                }
            }
        }
        if (plan is not null)
        {
            plan.Clear();
            if (IsQuasiMetric)
            {
                for (int k = 0; k < c; k++)
                {
                    plan.Add((k, k, Math.Min(p[k] * ip, t[k] * it)));
                }
            }
        }
        if (m == 0 || n == 0)
        {
            // p = t: nothing moves, and F = 0 is an optimal potential (the loss is at its minimum).
            potential.Clear();
            return 0;
        }

        var simplex = w.Simplex;
        simplex.Begin(m, n);
        var cost = simplex.Cost;
        for (int i = 0; i < m; i++)
        {
            int offset = w.RowClass[i] * c;
            for (int j = 0; j < n; j++)
            {
                cost[i * n + j] = _distance[offset + w.ColumnClass[j]];
            }
        }
        if (Start == StartRule.NorthWest || (Start == StartRule.Auto && IsMonge))
        {
            NorthWestStart(w, m, n);
        }
        else
        {
            MinimumStart(w, m, n);
        }
        // Potentials are sums along tree paths: their rounding grows with the depth (at most the node count).
        int nodes = m + n + 1;
        double value = simplex.Solve(_maxDistance * Math.Max(1e-13, 4e-16 * nodes * nodes), PivotLimit);

        if (plan is not null)
        {
            foreach (var (i, j, mass) in simplex.Plan())
            {
                if (mass > 0)
                {
                    plan.Add((w.RowClass[i], w.ColumnClass[j], mass));
                }
            }
        }

        if (!potential.IsEmpty)
        {
            Potential(w, m, n, simplex, potential);
        }
        return value;
    }

    // The north-west corner rule with sources and sinks in line order: a staircase, in O(m + n). Where a row
    // and a column run out together only the row closes; the column, left open with nothing to receive, takes
    // the next row's first cell with zero flow, so the staircase stays connected (a spanning tree, not a forest
    // whose pieces only the root would join) and its zero-flow arc points away from the root, as the
    // simplex needs.
    private static void NorthWestStart(Workspace w, int m, int n)
    {
        var simplex = w.Simplex;
        var supply = w.Supply;
        var demand = w.Demand;
        int i = 0, j = 0;
        while (i < m && j < n)
        {
            double flow = Math.Min(supply[i], demand[j]);
            bool rowDone = flow == supply[i];
            simplex.AddInitialArc(i, j, flow, rowDone);
            supply[i] -= flow;
            demand[j] -= flow;
            if (rowDone)
            {
                i++;
            }
            else
            {
                j++;
            }
        }
        // Columns not reached when the rows ran out are short by rounding only (their masses sum to the rows'):
        // they hang from the last row with zero flow rather than from the root. (Column j itself took the last
        // row's flow; it is that row's parent and stays under the root.)
        for (j++; j < n; j++)
        {
            simplex.AddInitialArc(m - 1, j, 0, rowExhausted: false);
        }
    }

    // The matrix-minimum rule: the cheapest open cell first, given as much as its row and column have left.
    // Each row offers its cheapest open column (walking its classes sorted by cost, made once per distance)
    // to a heap; a row whose column closed meanwhile moves on to its next. Every step closes a row or a
    // column, so the cells used form a forest; where both run out together only the row closes, and the
    // column takes a later cell with zero flow, which keeps the forest connected (see the north-west rule).
    // A closed column's demand is set to -1.
    private void MinimumStart(Workspace w, int m, int n)
    {
        int c = Classes;
        var simplex = w.Simplex;
        var cost = simplex.Cost;
        var supply = w.Supply;
        var demand = w.Demand;
        var columnOf = w.ColumnOf;
        var position = w.RowFirst;
        var heap = w.Heap;
        heap.Clear();
        for (int i = 0; i < m; i++)
        {
            position[i] = NextOpenColumn(w, w.RowClass[i] * c, 0);
            if (position[i] < c)
            {
                heap.Enqueue(i, (cost[i * n + columnOf[_rowOrder[w.RowClass[i] * c + position[i]]]], i));
            }
        }
        int rowsLeft = m;
        while (rowsLeft > 0 && heap.TryDequeue(out int i, out _))
        {
            int offset = w.RowClass[i] * c;
            int j = columnOf[_rowOrder[offset + position[i]]];
            if (demand[j] >= 0)
            {
                double flow = Math.Min(supply[i], demand[j]);
                bool rowDone = flow == supply[i];
                simplex.AddInitialArc(i, j, flow, rowDone);
                if (rowDone)
                {
                    supply[i] = 0;
                    demand[j] -= flow;
                    rowsLeft--;
                    continue;
                }
                supply[i] -= flow;
                demand[j] = -1;
            }
            position[i] = NextOpenColumn(w, offset, position[i] + 1);
            if (position[i] < c)
            {
                heap.Enqueue(i, (cost[i * n + columnOf[_rowOrder[offset + position[i]]]], i));
            }
        }
    }

    // The first position at or after `from` in a row's sorted classes that is a column with demand left (C if none).
    private int NextOpenColumn(Workspace w, int offset, int from)
    {
        int c = Classes;
        while (from < c)
        {
            int j = w.ColumnOf[_rowOrder[offset + from]];
            if (j >= 0 && w.Demand[j] >= 0)
            {
                break;
            }
            from++;
        }
        return from;
    }

    // F(x) = min_j (D_xj - g_j) (the c-transform of the sinks' duals g). In the quasi-metric case it equals the
    // solver's f on the sources and -g on the sinks (each carries flow on a tree arc, whose reduced cost is 0),
    // so only the classes where p = t need the minimum. Otherwise g is first extended to the classes t does not
    // hold (g_j = min_i (D_ij - f_i) over the sources), then F is taken over all classes.
    private void Potential(Workspace w, int m, int n, TransportSimplex simplex, Span<double> potential)
    {
        int c = Classes;
        var d = _distance;
        var rowOf = w.RowOf;
        var columnOf = w.ColumnOf;
        var g = w.G;
        if (IsQuasiMetric)
        {
            var columnClass = w.ColumnClass;
            for (int j = 0; j < n; j++)
            {
                g[j] = simplex.ColumnPotential(j);
            }
            for (int x = 0; x < c; x++)
            {
                if (rowOf[x] >= 0)
                {
                    potential[x] = simplex.RowPotential(rowOf[x]);
                    continue;
                }
                if (columnOf[x] >= 0)
                {
                    potential[x] = -g[columnOf[x]];
                    continue;
                }
                int offset = x * c;
                double best = double.PositiveInfinity;
                for (int j = 0; j < n; j++)
                {
                    double v = d[offset + columnClass[j]] - g[j];
                    if (v < best)
                    {
                        best = v;
                    }
                }
                potential[x] = best;
            }
            return;
        }
        var rowClass = w.RowClass;
        for (int j = 0; j < c; j++)
        {
            int column = columnOf[j];
            if (column >= 0)
            {
                g[j] = simplex.ColumnPotential(column);
                continue;
            }
            double best = double.PositiveInfinity;
            for (int i = 0; i < m; i++)
            {
                double v = d[rowClass[i] * c + j] - simplex.RowPotential(i);
                if (v < best)
                {
                    best = v;
                }
            }
            g[j] = best;
        }
        for (int x = 0; x < c; x++)
        {
            int offset = x * c;
            double best = double.PositiveInfinity;
            for (int j = 0; j < c; j++)
            {
                double v = d[offset + j] - g[j];
                if (v < best)
                {
                    best = v;
                }
            }
            potential[x] = best;
        }
    }

    /// <summary>D_ij ≤ D_ik + D_kj + tolerance for all i, j, k (a vector loop over j).</summary>
    internal static bool SatisfiesTriangleInequality(int classes, double[] distance)
    {
        double max = 0;
        foreach (var v in distance)
        {
            max = Math.Max(max, v);
        }
        double tolerance = TriangleTolerance * max;
        var d = distance.AsSpan();
        int width = Vector<double>.Count;
        for (int i = 0; i < classes; i++)
        {
            var row = d.Slice(i * classes, classes);
            for (int k = 0; k < classes; k++)
            {
                var through = d.Slice(k * classes, classes);
                double bound = row[k] + tolerance;
                var boundVector = new Vector<double>(bound);
                int j = 0;
                for (; j <= classes - width; j += width)
                {
                    if (Vector.GreaterThanAny(new Vector<double>(row.Slice(j)), new Vector<double>(through.Slice(j)) + boundVector))
                    {
                        return false;
                    }
                }
                for (; j < classes; j++)
                {
                    if (row[j] > through[j] + bound)
                    {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /// <summary>A thread's solver and buffers, sized for C classes.</summary>
    private sealed class Workspace
    {
        private Workspace(int classes)
        {
            Classes = classes;
            Simplex = new TransportSimplex(classes, classes);
            RowOf = new int[classes];
            ColumnOf = new int[classes];
            RowClass = new int[classes];
            ColumnClass = new int[classes];
            Supply = new double[classes];
            Demand = new double[classes];
            G = new double[classes];
            RowFirst = new int[classes];
            Heap = new PriorityQueue<int, (double, int)>(classes);
        }

        /// <summary>Rows by the cost of their cheapest open cell, then by index.</summary>
        public PriorityQueue<int, (double, int)> Heap { get; }

        /// <summary>Each row's position in its sorted classes (the matrix-minimum start).</summary>
        public int[] RowFirst { get; }


        public int Classes { get; }

        public TransportSimplex Simplex { get; }

        public int[] RowOf { get; }

        public int[] ColumnOf { get; }

        public int[] RowClass { get; }

        public int[] ColumnClass { get; }

        public double[] Supply { get; }

        public double[] Demand { get; }

        public double[] G { get; }

        public static Workspace For(int classes)
        {
            var current = _workspace;
            if (current is null || current.Classes != classes)
            {
                current = new Workspace(classes);
                _workspace = current;
            }
            return current;
        }
    }
}

/// <summary>How <see cref="ExactTransport"/> chooses the simplex's starting flow.</summary>
internal enum StartRule
{
    /// <summary>The north-west corner where D is a Monge matrix in line order (then it is optimal), else the matrix minimum.</summary>
    Auto,

    /// <summary>The cheapest open cell first.</summary>
    MatrixMinimum,

    /// <summary>The north-west corner rule with the classes in line order (<see cref="LineOrder"/>): O(m + n).</summary>
    NorthWest,
}
