namespace EarthMover.Kernels.Transport;

/// <summary>
/// A batch of entropic plans P_ij = exp(M_ij + u_i + v_j), M = −D/ε, from the log-domain potentials, in float64, and
/// the derivatives of the Sinkhorn quantities with respect to the row marginal a (docs/math.md §11). Everything is
/// written with the row-conditional plan Π = A⁻¹P, the column-conditional Γ = P B⁻¹ and
/// Q = A^-½ P B^-½ (a and b the plan's own marginals), which stay finite where a mass is 0 or far below the
/// smallest normal number: log Π_ij = M_ij + v_j − LSE_l(M_il + v_l) needs no log a_i, so rows and columns of zero
/// mass are exact zeros, never 0/0.
/// <para>
/// Every derivative needs the same linear system: with L = B − Pᵀ A⁻¹ P (symmetric, positive semi-definite, a
/// weighted graph Laplacian of the columns with (1, …, 1) in its null space), L = B^½ (I − QᵀQ) B^½, and
/// I − QᵀQ has eigenvalues 1 − σ_k² (σ_k the singular values of Q, σ_1 = 1 with vectors √a and √b; σ_2² is the
/// contraction rate of Sinkhorn's iterations). So K = I − QᵀQ + √b √bᵀ is positive definite whenever the support
/// of the plan is connected, with condition number about 1/(1 − σ_2²), and does not depend on the scale of the
/// masses (the row and column of a class of mass 1e-40 are as well scaled as any other). K⁻¹ gives the generalised
/// inverse W = B^-½ K⁻¹ B^-½ of L (W = L⁺ + 11ᵀ on the support, and every use of it is blind to 11ᵀ). K is
/// factorised by Cholesky; a row whose factorisation fails or whose smallest pivot is below n·ε_mach·λ_max (the plan
/// numerically disconnected, which happens only at tiny ε) is solved by its eigendecomposition instead, dropping
/// the eigenvalues below that cutoff (numpy's rank tolerance).
/// </para>
/// </summary>
/// <remarks>Tensors are made in the caller's dispose scope; those computed on first use are kept for later use.</remarks>
internal sealed class EntropicPlan
{
    private const ScalarType F64 = ScalarType.Float64;

    private readonly double _epsilon;
    private Tensor? _pi, _logGamma, _r, _kInverse, _rOverSqrtB;
    private (Tensor Factor, Tensor BadRows, Tensor? Pseudo)? _factorisation;

    /// <summary>The plans of <paramref name="u"/> and <paramref name="v"/> (N x C, −∞ where the mass is 0) on <paramref name="mr"/> = −D/ε (C x C).</summary>
    public EntropicPlan(Tensor u, Tensor v, Tensor mr, Tensor d, double epsilon)
    {
        _epsilon = epsilon;
        U = u.to(F64);
        V = v.to(F64);
        M = mr.to(F64).unsqueeze(0);
        D = d.to(F64).unsqueeze(0);
        var rowLse = torch.logsumexp(M + V.unsqueeze(1), 2);     // LSE_j(M_ij + v_j), finite
        var columnLse = torch.logsumexp(M + U.unsqueeze(2), 1);  // LSE_i(M_ij + u_i), finite
        FTilde = rowLse * -epsilon;
        GTilde = columnLse * -epsilon;
        LogPi = M + V.unsqueeze(1) - rowLse.unsqueeze(2);
        LogA = U + rowLse;
        LogB = V + columnLse;
        Plan = (M + U.unsqueeze(2) + V.unsqueeze(1)).exp();
    }

    /// <summary>u, N x C.</summary>
    public Tensor U { get; }

    /// <summary>v, N x C.</summary>
    public Tensor V { get; }

    /// <summary>−D/ε, 1 x C x C.</summary>
    public Tensor M { get; }

    /// <summary>D, 1 x C x C.</summary>
    public Tensor D { get; }

    /// <summary>P, N x C x C.</summary>
    public Tensor Plan { get; }

    /// <summary>f̃_i = −ε LSE_j(M_ij + v_j): the potential f without its ε log a_i term, finite at a_i = 0.</summary>
    public Tensor FTilde { get; }

    /// <summary>g̃_j = −ε LSE_i(M_ij + u_i).</summary>
    public Tensor GTilde { get; }

    /// <summary>log Π, N x C x C (−∞ in columns of zero mass).</summary>
    public Tensor LogPi { get; }

    /// <summary>log of the plan's row sums (−∞ at zero mass).</summary>
    public Tensor LogA { get; }

    /// <summary>log of the plan's column sums (−∞ at zero mass).</summary>
    public Tensor LogB { get; }

    /// <summary>Π = A⁻¹ P: each row sums to 1.</summary>
    public Tensor Pi => _pi ??= LogPi.exp();

    /// <summary>log Γ, Γ = P B⁻¹: each column sums to 1.</summary>
    public Tensor LogGamma => _logGamma ??= M + U.unsqueeze(2) - torch.logsumexp(M + U.unsqueeze(2), 1, keepdim: true);

    /// <summary>R = Π B^-½ (0 in columns of zero mass).</summary>
    public Tensor R => _r ??= (LogPi - MaskedLogB.unsqueeze(1) * 0.5).exp();

    /// <summary>Π B⁻¹ = A⁻¹ P B⁻¹ (0 in columns of zero mass).</summary>
    public Tensor PiOverB => _rOverSqrtB ??= (LogPi - MaskedLogB.unsqueeze(1)).exp();

    /// <summary>K⁻¹, N x C x C (see the class remarks).</summary>
    public Tensor KInverse => _kInverse ??= InverseOfK();

    private Tensor MaskedLogB => LogB.masked_fill(LogB.isneginf(), 0);

    /// <summary>B^-½ (0 at zero mass).</summary>
    private Tensor InverseSqrtB => torch.where(LogB.isneginf(), 0.0, (LogB * -0.5).exp());

    /// <summary>
    /// d⟨P, D⟩/da (up to a constant) by the implicit function theorem: x = ρ − Π μ with ρ = (Π ∘ D) 1 and
    /// L μ = Σ_i P_ij (D_ij − ρ_i), solved as μ = B^-½ K⁻¹ B^-½ (...) (docs/math.md §11).
    /// </summary>
    public Tensor CostGradient()
    {
        var rho = (Pi * D).sum(2);
        var a = LogA.exp();
        // B^-½ Σ_i P_ij (D_ij − ρ_i) = Σ_i a_i R_ij (D_ij − ρ_i)
        var rhs = (R * a.unsqueeze(2) * (D - rho.unsqueeze(2))).sum(1);
        var y = Solve(rhs.unsqueeze(2)).squeeze(2);
        return (rho - R.bmm(y.unsqueeze(2)).squeeze(2));
    }

    /// <summary>∂f̃/∂a with b fixed: ε Π W Πᵀ = ε R K⁻¹ Rᵀ (the Hessian of OT_ε less its ε diag(1/a)).</summary>
    public Tensor FTildeJacobian()
    {
        return (R.bmm(KInverse).bmm(R.transpose(1, 2)) * _epsilon);
    }

    /// <summary>
    /// The Hessian of ⟨P_ε, D⟩ in a with b fixed. ⟨P_ε, D⟩ = OT_ε − ε ∂OT_ε/∂ε, so its Hessian is
    /// −ε² ∂(Π W Πᵀ)/∂ε at fixed marginals = −ε² (Π̇ W Πᵀ + Π W Π̇ᵀ − Π W L̇ W Πᵀ), where ε Π̇_ij =
    /// Π_ij (h_j − log Π_ij − Σ_l Π_il (h_l − log Π_il)) and L h = Σ_i P_ij (log Π_ij − Σ_l Π_il log Π_il).
    /// </summary>
    public Tensor CostHessian()
    {
        var a = LogA.exp();
        var pi = Pi;
        var r = R;
        var support = pi > 0;
        var logPi = LogPi.masked_fill(support.logical_not(), 0);
        var entropy = (pi * logPi).sum(2, keepdim: true);                    // Σ_l Π_il log Π_il
        var rhs = (r * a.unsqueeze(2) * (logPi - entropy)).sum(1);            // B^-½ Σ_i P_ij (ℓ_ij − H_i)
        var y = Solve(rhs.unsqueeze(2));                                      // h = B^-½ y
        var piH = r.bmm(y);                                                    // (Π h)_i
        // ε Π̇ B^-½ = R ∘ (h_j − ℓ_ij − c_i), c_i = (Π h)_i − H_i
        var rDot = PiOverB * y.transpose(1, 2) - r * logPi - r * (piH - entropy);
        rDot = rDot.masked_fill(support.logical_not(), 0);
        var x = KInverse.bmm(r.transpose(1, 2));                               // K⁻¹ Rᵀ
        var ra = r * a.unsqueeze(2);
        var e = (rDot.transpose(1, 2).bmm(ra) + ra.transpose(1, 2).bmm(rDot)) * -1;   // B^-½ ε L̇ B^-½
        var inner = rDot.bmm(x);
        var hessian = (inner + inner.transpose(1, 2) - x.transpose(1, 2).bmm(e).bmm(x)) * -_epsilon;
        return hessian;
    }

    /// <summary>
    /// ∂(f̃ + g̃)/∂p for the symmetric problem a = b = p, both marginals moving: with L dg = −ε Πᵀ (I − Γ) dp,
    /// d(f̃ + g̃) = (I − Π) dg − ε Π B⁻¹ dp = −ε (B^-½ − R) K⁻¹ Rᵀ (I − Γ) dp − ε Π B⁻¹ dp.
    /// </summary>
    public Tensor SymmetricJacobian()
    {
        int c = (int)U.size(1);
        var eye = torch.eye(c, dtype: F64, device: U.device).unsqueeze(0);
        var left = torch.diag_embed(InverseSqrtB) - R;
        var right = R.transpose(1, 2).bmm(eye - LogGamma.exp());
        var jacobian = (left.bmm(KInverse).bmm(right) + PiOverB) * -_epsilon;
        return jacobian;
    }

    /// <summary>The <paramref name="length"/> problems from <paramref name="start"/>.</summary>
    public EntropicPlan Narrow(int start, int length) =>
        new(U.narrow(0, start, length), V.narrow(0, start, length), M.squeeze(0), D.squeeze(0), _epsilon);

    /// <summary>K⁻¹ rhs for N x C x k right-hand sides: Cholesky solves, or the rows' pseudo-inverses where K is numerically singular.</summary>
    private Tensor Solve(Tensor rhs)
    {
        if (_kInverse is not null)
        {
            return _kInverse.bmm(rhs);
        }
        var (factor, badRows, pseudo) = Factorisation;
        var solution = torch.cholesky_solve(rhs, factor);
        return pseudo is null ? solution : solution.index_copy(0, badRows, pseudo.bmm(rhs.index_select(0, badRows)));
    }

    private Tensor InverseOfK()
    {
        var (factor, badRows, pseudo) = Factorisation;
        var inverse = torch.cholesky_inverse(factor);
        return pseudo is null ? inverse : inverse.index_copy(0, badRows, pseudo);
    }

    private (Tensor Factor, Tensor BadRows, Tensor? Pseudo) Factorisation => _factorisation ??= Factorise();

    /// <summary>
    /// The Cholesky factors of K (the identity in rows where it fails), the indices of those rows and their
    /// pseudo-inverses by eigendecomposition with eigenvalues below n·ε_mach·λ_max dropped (null if none).
    /// </summary>
    private (Tensor Factor, Tensor BadRows, Tensor? Pseudo) Factorise()
    {
        int n = (int)U.size(0), c = (int)U.size(1);
        var q = ((LogPi + LogGamma) * 0.5).exp();
        var s = (LogB * 0.5).exp();
        var eye = torch.eye(c, dtype: F64, device: U.device).unsqueeze(0);
        var k = eye - q.transpose(1, 2).bmm(q) + s.unsqueeze(2) * s.unsqueeze(1);
        k = (k + k.transpose(1, 2)) * 0.5;
        var (factor, info) = torch.linalg.cholesky_ex(k);
        // λ_min ≤ every pivot, so a pivot below the cutoff means a numerically singular K.
        double cutoff = c * Math.Pow(2, -52) * 2; // n·ε_mach·λ_max, λ_max ≤ 2 (the eigenvalues of K lie in [0, 2])
        var pivots = factor.diagonal(dim1: 1, dim2: 2);
        var bad = info.ne(0).logical_or(torch.isfinite(pivots).all(1).logical_not());
        bad = bad.logical_or(torch.where(torch.isfinite(pivots), pivots.square(), 0.0).min(1).values.lt(cutoff));
        var badRows = bad.nonzero().flatten();
        if (badRows.numel() == 0)
        {
            return (factor, badRows, null);
        }
        var safeFactor = torch.where(bad.view(n, 1, 1), eye.expand(n, c, c), factor);
        var subset = k.index_select(0, badRows).nan_to_num(0, 0, 0);
        var (values, vectors) = torch.linalg.eigh(subset);
        var tolerance = values.abs().amax([1], keepdim: true) * (c * Math.Pow(2, -52));
        var reciprocal = torch.where(values > tolerance, values.reciprocal(), 0.0);
        var pseudo = (vectors * reciprocal.unsqueeze(1)).bmm(vectors.transpose(1, 2));
        return (safeFactor, badRows, pseudo);
    }
}
