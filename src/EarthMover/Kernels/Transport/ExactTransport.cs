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
    private readonly int[] _rowOrder;
    private readonly int[] _orderRow;
    private readonly int[] _orderColumn;
    private readonly int[] _columnOrder;

    public ExactTransport(int classes, double[] distance)
    {
        Classes = classes;
        _distance = distance;
        _maxDistance = distance.Max();
        IsQuasiMetric = SatisfiesTriangleInequality(classes, distance);
        var all = new int[classes * classes];
        for (int e = 0; e < all.Length; e++)
        {
            all[e] = e;
        }
        Array.Sort(all, (a, b) => distance[a] != distance[b] ? distance[a].CompareTo(distance[b]) : a.CompareTo(b));
        _orderRow = all.Select(e => e / classes).ToArray();
        _orderColumn = all.Select(e => e % classes).ToArray();
        _rowOrder = new int[classes * classes];
        _columnOrder = new int[classes * classes];
        var order = new int[classes];
        for (int k = 0; k < classes; k++)
        {
            // Each row's and each column's classes by increasing cost, equal costs in index order.
            for (int j = 0; j < classes; j++)
            {
                order[j] = j;
            }
            int row = k;
            Array.Sort(order, (a, b) => distance[row * classes + a] != distance[row * classes + b] ? distance[row * classes + a].CompareTo(distance[row * classes + b]) : a.CompareTo(b));
            order.CopyTo(_rowOrder, k * classes);
            for (int i = 0; i < classes; i++)
            {
                order[i] = i;
            }
            Array.Sort(order, (a, b) => distance[a * classes + row] != distance[b * classes + row] ? distance[a * classes + row].CompareTo(distance[b * classes + row]) : a.CompareTo(b));
            order.CopyTo(_columnOrder, k * classes);
        }
    }

    public int Classes { get; }

    /// <summary>How the starting flow is chosen (tests and tuning set it; the default picks by the kind of D).</summary>
    internal StartRule Start { get; set; }

    public bool AcceptsSoftTargets => true;

    /// <summary>Whether D satisfies the triangle inequality (within <see cref="TriangleTolerance"/>), so that only the excess p - t needs moving.</summary>
    public bool IsQuasiMetric { get; }

    [ThreadStatic]
    internal static int LastPivots;

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
            for (int k = 0; k < c; k++)
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
            for (int k = 0; k < c; k++)
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
        if (Start == StartRule.Vogel || (Start == StartRule.Auto && !IsQuasiMetric))
        {
            GreedyStart(w, m, n);
        }
        else
        {
            MinimumStart(w, m, n);
        }
        // Potentials are sums along tree paths: their rounding grows with the depth (at most the node count).
        int nodes = m + n + 1;
        double value = simplex.Solve(_maxDistance * Math.Max(1e-13, 4e-16 * nodes * nodes));
        LastPivots = simplex.Pivots;

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

    // Vogel's approximation: repeatedly, in the row or column whose two cheapest open cells differ most,
    // give its cheapest open cell as much as its row and column have left. Every step exhausts a row or a
    // column, so the cells used form a forest. Rows and columns walk their classes sorted by cost (made once
    // per distance), so finding the two cheapest open cells costs O(C) per line over the whole start.
    private void GreedyStart(Workspace w, int m, int n)
    {
        int c = Classes;
        var simplex = w.Simplex;
        var cost = simplex.Cost;
        var supply = w.Supply;
        var demand = w.Demand;
        var rowOf = w.RowOf;
        var columnOf = w.ColumnOf;
        for (int i = 0; i < m; i++)
        {
            w.RowFirst[i] = NextOpenColumn(w, w.RowClass[i] * c, 0);
            w.RowSecond[i] = NextOpenColumn(w, w.RowClass[i] * c, w.RowFirst[i] + 1);
            w.RowPenalty[i] = Penalty(w, cost, true, i, n);
        }
        for (int j = 0; j < n; j++)
        {
            w.ColumnFirst[j] = NextOpenRow(w, w.ColumnClass[j] * c, 0);
            w.ColumnSecond[j] = NextOpenRow(w, w.ColumnClass[j] * c, w.ColumnFirst[j] + 1);
            w.ColumnPenalty[j] = Penalty(w, cost, false, j, n);
        }
        int rowsLeft = m, columnsLeft = n;
        while (rowsLeft > 0 && columnsLeft > 0)
        {
            double best = double.NegativeInfinity;
            int line = -1;
            bool isRow = true;
            for (int i = 0; i < m; i++)
            {
                if (supply[i] > 0 && w.RowPenalty[i] > best)
                {
                    best = w.RowPenalty[i];
                    line = i;
                }
            }
            for (int j = 0; j < n; j++)
            {
                if (demand[j] > 0 && w.ColumnPenalty[j] > best)
                {
                    best = w.ColumnPenalty[j];
                    line = j;
                    isRow = false;
                }
            }
            int r, k;
            if (isRow)
            {
                r = line;
                k = columnOf[_rowOrder[w.RowClass[r] * c + w.RowFirst[r]]];
            }
            else
            {
                k = line;
                r = rowOf[_columnOrder[w.ColumnClass[k] * c + w.ColumnFirst[k]]];
            }
            double flow = Math.Min(supply[r], demand[k]);
            bool rowDone = flow == supply[r], columnDone = flow == demand[k];
            simplex.AddInitialArc(r, k, flow, rowDone);
            supply[r] = rowDone ? 0 : supply[r] - flow;
            demand[k] = columnDone ? 0 : demand[k] - flow;
            if (rowDone)
            {
                rowsLeft--;
                for (int j = 0; j < n; j++)
                {
                    if (demand[j] > 0 && (rowOf[_columnOrder[w.ColumnClass[j] * c + w.ColumnFirst[j]]] == r || (w.ColumnSecond[j] < c && rowOf[_columnOrder[w.ColumnClass[j] * c + w.ColumnSecond[j]]] == r)))
                    {
                        w.ColumnFirst[j] = NextOpenRow(w, w.ColumnClass[j] * c, w.ColumnFirst[j]);
                        w.ColumnSecond[j] = NextOpenRow(w, w.ColumnClass[j] * c, Math.Max(w.ColumnSecond[j], w.ColumnFirst[j] + 1));
                        w.ColumnPenalty[j] = Penalty(w, cost, false, j, n);
                    }
                }
            }
            if (columnDone)
            {
                columnsLeft--;
                for (int i = 0; i < m; i++)
                {
                    if (supply[i] > 0 && (columnOf[_rowOrder[w.RowClass[i] * c + w.RowFirst[i]]] == k || (w.RowSecond[i] < c && columnOf[_rowOrder[w.RowClass[i] * c + w.RowSecond[i]]] == k)))
                    {
                        w.RowFirst[i] = NextOpenColumn(w, w.RowClass[i] * c, w.RowFirst[i]);
                        w.RowSecond[i] = NextOpenColumn(w, w.RowClass[i] * c, Math.Max(w.RowSecond[i], w.RowFirst[i] + 1));
                        w.RowPenalty[i] = Penalty(w, cost, true, i, n);
                    }
                }
            }
        }
    }

    private void MinimumStart(Workspace w, int m, int n)
    {
        var simplex = w.Simplex;
        var supply = w.Supply;
        var demand = w.Demand;
        int rowsLeft = m, columnsLeft = n;
        var rowOf = w.RowOf;
        var columnOf = w.ColumnOf;
        for (int e = 0; e < _orderRow.Length; e++)
        {
            int i = rowOf[_orderRow[e]];
            if (i < 0)
            {
                continue;
            }
            int j = columnOf[_orderColumn[e]];
            if (j < 0 || supply[i] == 0 || demand[j] == 0)
            {
                continue;
            }
            double flow = Math.Min(supply[i], demand[j]);
            simplex.AddInitialArc(i, j, flow, flow == supply[i]);
            if (flow == supply[i])
            {
                supply[i] = 0;
                rowsLeft--;
            }
            else
            {
                supply[i] -= flow;
            }
            if (flow == demand[j])
            {
                demand[j] = 0;
                columnsLeft--;
            }
            else
            {
                demand[j] -= flow;
            }
            if (rowsLeft == 0 || columnsLeft == 0)
            {
                break;
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
            if (j >= 0 && w.Demand[j] > 0)
            {
                break;
            }
            from++;
        }
        return from;
    }

    private int NextOpenRow(Workspace w, int offset, int from)
    {
        int c = Classes;
        while (from < c)
        {
            int i = w.RowOf[_columnOrder[offset + from]];
            if (i >= 0 && w.Supply[i] > 0)
            {
                break;
            }
            from++;
        }
        return from;
    }

    // The difference between a line's two cheapest open cells; a line with one open cell must use it.
    private double Penalty(Workspace w, Span<double> cost, bool row, int line, int n)
    {
        int c = Classes;
        if (row)
        {
            if (w.RowFirst[line] >= c)
            {
                return double.NegativeInfinity;
            }
            double first = cost[line * n + w.ColumnOf[_rowOrder[w.RowClass[line] * c + w.RowFirst[line]]]];
            return w.RowSecond[line] >= c ? double.PositiveInfinity : cost[line * n + w.ColumnOf[_rowOrder[w.RowClass[line] * c + w.RowSecond[line]]]] - first;
        }
        if (w.ColumnFirst[line] >= c)
        {
            return double.NegativeInfinity;
        }
        double top = cost[w.RowOf[_columnOrder[w.ColumnClass[line] * c + w.ColumnFirst[line]]] * n + line];
        return w.ColumnSecond[line] >= c ? double.PositiveInfinity : cost[w.RowOf[_columnOrder[w.ColumnClass[line] * c + w.ColumnSecond[line]]] * n + line] - top;
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
            RowSecond = new int[classes];
            ColumnFirst = new int[classes];
            ColumnSecond = new int[classes];
            RowPenalty = new double[classes];
            ColumnPenalty = new double[classes];
        }

        public int[] RowFirst { get; }

        public int[] RowSecond { get; }

        public int[] ColumnFirst { get; }

        public int[] ColumnSecond { get; }

        public double[] RowPenalty { get; }

        public double[] ColumnPenalty { get; }

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
    /// <summary>Matrix minimum for the reduced problem of a quasi-metric, Vogel's approximation otherwise.</summary>
    Auto,

    /// <summary>The cheapest open cell first (one pass over D's cells in increasing cost).</summary>
    MatrixMinimum,

    /// <summary>Vogel's approximation: fewer pivots, more work to start.</summary>
    Vogel,
}
