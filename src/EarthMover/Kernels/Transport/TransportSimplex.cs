namespace EarthMover.Kernels.Transport;

/// <summary>
/// The network simplex for a balanced transportation problem: m sources with supplies a_i &gt; 0, n sinks with
/// demands b_j &gt; 0 (Σ a = Σ b), an arc i → j of cost c_ij for every pair, minimise Σ c_ij x_ij over flows x ≥ 0
/// with row sums a and column sums b. Made once for up to a given m + n and reused for many problems: a solve
/// allocates nothing.
/// </summary>
/// <remarks>
/// <para>
/// The basis is a spanning tree on the m + n nodes plus a root. It starts from a forest the caller gives (a
/// greedy feasible flow, <see cref="AddInitialArc"/>), each of whose components hangs from the root by an
/// artificial arc root → node of cost 0. All arcs at the root point away from it, so conservation at the root
/// keeps their flow at 0: they only hold the components together until real arcs replace them.
/// </para>
/// <para>
/// Degenerate problems (ties, equal partial sums) cannot make it cycle: the tree is kept strongly feasible
/// (every zero-flow arc points away from the root; true of the start, where only the artificial arcs carry
/// 0) and the leaving arc is chosen by Cunningham's rule, the last blocking arc met going round the cycle from
/// its apex (as LEMON's network simplex does, which POT's <c>ot.emd</c> uses). Entering arcs are found by
/// block search (LEMON's default pricing). Reduced costs above -tolerance count as non-negative, with the
/// tolerance a small multiple of the largest cost, so the answer is optimal to within that tolerance in
/// the dual and exactly feasible in the primal.
/// </para>
/// <para>
/// Node numbering: sources 0..m-1, sinks m..m+n-1, root m+n. Each non-root node stores the tree arc to its
/// parent: its id (i·n + j for the real arc i → j, <see cref="Artificial"/> for root → node), whether it points
/// up (node → parent) and its flow. Potentials π make every tree arc's reduced cost c + π_tail - π_head zero;
/// the duals are u_i = -π_i, v_j = π_{m+j}, with u_i + v_j ≤ c_ij for every arc at the optimum.
/// </para>
/// </remarks>
internal sealed class TransportSimplex
{
    private const int Artificial = -1;

    private readonly double[] _cost;
    private readonly int[] _parent;
    private readonly int[] _pred;
    private readonly bool[] _up;
    private readonly double[] _flow;
    private readonly double[] _pi;
    private readonly int[] _depth;
    private readonly int[] _path;
    private readonly int[] _firstChild;
    private readonly int[] _nextSibling;
    private readonly int[] _previousSibling;
    private int _rows;
    private int _columns;

    /// <summary>A solver for problems with up to <paramref name="maxRows"/> sources and <paramref name="maxColumns"/> sinks.</summary>
    public TransportSimplex(int maxRows, int maxColumns)
    {
        MaxRows = maxRows;
        MaxColumns = maxColumns;
        int nodes = maxRows + maxColumns + 1;
        _cost = new double[maxRows * maxColumns];
        _parent = new int[nodes];
        _pred = new int[nodes];
        _up = new bool[nodes];
        _flow = new double[nodes];
        _pi = new double[nodes];
        _depth = new int[nodes];
        _path = new int[nodes];
        _firstChild = new int[nodes];
        _nextSibling = new int[nodes];
        _previousSibling = new int[nodes];
    }

    public int MaxRows { get; }

    public int MaxColumns { get; }

    /// <summary>Pivots made by the last <see cref="Solve"/> (for tests and tuning).</summary>
    public int Pivots { get; private set; }

    /// <summary>Starts a problem with <paramref name="rows"/> sources and <paramref name="columns"/> sinks; fill <see cref="Cost"/> and give the starting flow next.</summary>
    public void Begin(int rows, int columns)
    {
        if (rows < 1 || columns < 1 || rows > MaxRows || columns > MaxColumns)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), $"a {rows} x {columns} problem does not fit a solver for {MaxRows} x {MaxColumns}");
        }
        _rows = rows;
        _columns = columns;
        int root = rows + columns;
        for (int x = 0; x < root; x++)
        {
            _parent[x] = root;
            _pred[x] = Artificial;
            _up[x] = false;
            _flow[x] = 0;
        }
    }

    /// <summary>The costs c_ij, row-major m x n.</summary>
    public Span<double> Cost => _cost.AsSpan(0, _rows * _columns);

    /// <summary>
    /// Adds an arc of the starting flow, given by a greedy rule that exhausts a row or a column at each step
    /// (so that the arcs form a forest and every line is exhausted once): the line it exhausts hangs from
    /// the arc's other end. Lines that no arc exhausts hang from the root.
    /// </summary>
    /// <param name="row">The source.</param>
    /// <param name="column">The sink.</param>
    /// <param name="flow">The arc's flow, &gt; 0.</param>
    /// <param name="rowExhausted">Whether this arc exhausted the row (else the column).</param>
    public void AddInitialArc(int row, int column, double flow, bool rowExhausted)
    {
        int child = rowExhausted ? row : _rows + column;
        _parent[child] = rowExhausted ? _rows + column : row;
        _pred[child] = row * _columns + column;
        _up[child] = rowExhausted; // arcs run source → sink: up when the child is the source
        _flow[child] = flow;
    }

    /// <summary>Solves the problem and returns the optimal cost Σ c_ij x_ij.</summary>
    /// <param name="tolerance">Reduced costs above -tolerance count as non-negative (a small multiple of the largest cost).</param>
    /// <param name="pivotLimit">The pivot cap (default 1000 per node plus 10 per arc); reaching it ends the solve with the current feasible basis.</param>
    public double Solve(double tolerance, int? pivotLimit = null)
    {
        int m = _rows, n = _columns;
        BuildTree();
        int nodes = m + n + 1;
        int arcs = m * n;
        int block = Math.Max(10, (int)Math.Sqrt(arcs));
        int nextRow = 0;
        int limit = pivotLimit ?? 1000 * nodes + 10 * arcs;
        Pivots = 0;
        ReachedPivotLimit = false;
        while (true)
        {
            int inArc = FindEnteringArc(ref nextRow, block, tolerance);
            if (inArc < 0)
            {
                break;
            }
            if (++Pivots > limit)
            {
                // As POT's numItermax: stop with the current basis, a feasible plan whose cost and duals are the best
                // found (never seen in the tests; the cap is far above the pivots an optimum needs).
                ReachedPivotLimit = true;
                break;
            }
            Pivot(inArc);
        }
        double value = 0;
        for (int x = 0; x < m + n; x++)
        {
            if (_pred[x] != Artificial)
            {
                value += _cost[_pred[x]] * _flow[x];
            }
        }
        return value;
    }

    /// <summary>Whether the last <see cref="Solve"/> stopped at its pivot cap instead of at the optimum.</summary>
    public bool ReachedPivotLimit { get; private set; }

    /// <summary>The dual u_i of source i.</summary>
    public double RowPotential(int row) => -_pi[row];

    /// <summary>The dual v_j of sink j.</summary>
    public double ColumnPotential(int column) => _pi[_rows + column];

    /// <summary>The flows of the final basis (zero-flow arcs included), for tests.</summary>
    public IEnumerable<(int Row, int Column, double Flow)> Plan()
    {
        for (int x = 0; x < _rows + _columns; x++)
        {
            if (_pred[x] != Artificial)
            {
                yield return (_pred[x] / _columns, _pred[x] % _columns, _flow[x]);
            }
        }
    }

    // The starting tree from the parent pointers: children lists, then depths and potentials from the parents'.
    private void BuildTree()
    {
        int nodes = _rows + _columns, root = nodes;
        _firstChild.AsSpan(0, nodes + 1).Fill(-1);
        for (int x = 0; x < nodes; x++)
        {
            Link(x, _parent[x]);
        }
        _parent[root] = -1;
        _depth[root] = 0;
        _pi[root] = 0;
        UpdateSubtree(root, includeTop: false);
    }

    // Block search by rows: rows are scanned cyclically from where the last search stopped, each row's least
    // reduced cost c_ij + π_i - π_{m+j} found with a vector loop, and the search stops at the first block of
    // rows (about `block` arcs) that holds a negative one; the entering arc is the most negative seen.
    private int FindEnteringArc(ref int nextRow, int block, double tolerance)
    {
        int m = _rows, n = _columns;
        var columnPotentials = new ReadOnlySpan<double>(_pi, m, n);
        double best = -tolerance;
        int bestRow = -1;
        int scanned = 0;
        int i = nextRow;
        for (int count = 0; count < m; count++)
        {
            double least = RowMath.MinDifference(new ReadOnlySpan<double>(_cost, i * n, n), columnPotentials) + _pi[i];
            if (least < best)
            {
                best = least;
                bestRow = i;
            }
            if (++i == m)
            {
                i = 0;
            }
            scanned += n;
            if (scanned >= block && bestRow >= 0)
            {
                break;
            }
        }
        nextRow = i;
        if (bestRow < 0)
        {
            return -1;
        }
        int column = RowMath.ArgMinDifference(new ReadOnlySpan<double>(_cost, bestRow * n, n), columnPotentials);
        return bestRow * n + column;
    }

    private void Pivot(int inArc)
    {
        int m = _rows, n = _columns;
        int first = inArc / n, second = m + inArc % n;

        int a = first, b = second;
        while (a != b)
        {
            if (_depth[a] > _depth[b])
            {
                a = _parent[a];
            }
            else if (_depth[b] > _depth[a])
            {
                b = _parent[b];
            }
            else
            {
                a = _parent[a];
                b = _parent[b];
            }
        }
        int join = a;

        // Flow goes first → second on the entering arc, then up from second to the join and down to first.
        // Cunningham's rule: the last blocking arc in that orientation, starting at the join.
        double delta = double.PositiveInfinity;
        int uOut = -1;
        bool onFirst = false;
        for (int u = first; u != join; u = _parent[u])
        {
            if (_up[u] && _flow[u] < delta)
            {
                delta = _flow[u];
                uOut = u;
                onFirst = true;
            }
        }
        for (int u = second; u != join; u = _parent[u])
        {
            if (!_up[u] && _flow[u] <= delta)
            {
                delta = _flow[u];
                uOut = u;
                onFirst = false;
            }
        }
        if (uOut < 0)
        {
            throw new InvalidOperationException("the transport solver found a cycle without a blocking arc; please report this input.");
        }
        delta = Math.Max(delta, 0);

        if (delta > 0)
        {
            for (int u = first; u != join; u = _parent[u])
            {
                _flow[u] = _up[u] ? Math.Max(_flow[u] - delta, 0) : _flow[u] + delta;
            }
            for (int u = second; u != join; u = _parent[u])
            {
                _flow[u] = _up[u] ? _flow[u] + delta : Math.Max(_flow[u] - delta, 0);
            }
        }
        _flow[uOut] = 0;

        // The subtree below the leaving arc hangs from the entering arc now: reverse the path from the
        // entering arc's end in that subtree (uIn) up to the leaving arc's lower end (uOut).
        int uIn = onFirst ? first : second;
        int newParent = onFirst ? second : first;
        int newPred = inArc;
        bool newUp = uIn == first;
        double newFlow = delta;
        int x = uIn;
        while (true)
        {
            int oldParent = _parent[x], oldPred = _pred[x];
            bool oldUp = _up[x];
            double oldFlow = _flow[x];
            Unlink(x);
            _parent[x] = newParent;
            _pred[x] = newPred;
            _up[x] = newUp;
            _flow[x] = newFlow;
            Link(x, newParent);
            if (x == uOut)
            {
                break;
            }
            newParent = x;
            newPred = oldPred;
            newUp = !oldUp;
            newFlow = oldFlow;
            x = oldParent;
        }
        UpdateSubtree(uIn, includeTop: true);
    }

    // Depth and potential of every node of the subtree that now hangs from the entering arc, from its
    // parent's (a depth-first walk over the child lists).
    private void UpdateSubtree(int top, bool includeTop)
    {
        var stack = _path;
        int k = 0;
        if (includeTop)
        {
            stack[k++] = top;
        }
        else
        {
            for (int child = _firstChild[top]; child >= 0; child = _nextSibling[child])
            {
                stack[k++] = child;
            }
        }
        while (k > 0)
        {
            int y = stack[--k];
            int parent = _parent[y];
            double c = _pred[y] == Artificial ? 0 : _cost[_pred[y]];
            _depth[y] = _depth[parent] + 1;
            _pi[y] = _up[y] ? _pi[parent] - c : _pi[parent] + c;
            for (int child = _firstChild[y]; child >= 0; child = _nextSibling[child])
            {
                stack[k++] = child;
            }
        }
    }

    private void Link(int child, int parent)
    {
        int first = _firstChild[parent];
        _nextSibling[child] = first;
        _previousSibling[child] = -1;
        if (first >= 0)
        {
            _previousSibling[first] = child;
        }
        _firstChild[parent] = child;
    }

    private void Unlink(int child)
    {
        int previous = _previousSibling[child], next = _nextSibling[child];
        if (previous >= 0)
        {
            _nextSibling[previous] = next;
        }
        else
        {
            _firstChild[_parent[child]] = next;
        }
        if (next >= 0)
        {
            _previousSibling[next] = previous;
        }
    }
}
