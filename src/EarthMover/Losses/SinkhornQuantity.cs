namespace EarthMover;

/// <summary>Which quantity of the entropic transport problem <see cref="earthmover.nn.functional.sinkhorn_loss(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, GroundDistance, double, SinkhornQuantity?, int?, double?, EmdInput?, TorchSharp.torch.Tensor?, TorchSharp.torch.Tensor?, TorchSharp.torch.nn.Reduction)"/> returns.</summary>
public enum SinkhornQuantity
{
    /// <summary>
    /// ⟨P_ε, D⟩, the transport cost of the entropic plan P_ε, without the entropy: what POT's
    /// <c>ot.sinkhorn2</c> returns. Gradient by implicit differentiation of the converged plan (a linear solve per row).
    /// </summary>
    Cost,

    /// <summary>
    /// OT_ε(p, t) = ⟨P_ε, D⟩ + ε Σ P_ε (log P_ε - 1), the entropic objective itself, entropy included. Gradient:
    /// the dual potential (the envelope theorem).
    /// </summary>
    Regularized,

    /// <summary>
    /// The debiased Sinkhorn divergence of Feydy et al. (2019), S_ε(p, t) = OT_ε(p, t) - (OT_ε(p, p) + OT_ε(t, t)) / 2,
    /// with OT_ε as in <see cref="Regularized"/>: 0 when p = t, and positive otherwise for a distance D
    /// whose kernel exp(-D/ε) is positive definite (|x - y| and |x - y|² on a line and in space are). Gradient:
    /// the dual potentials (the envelope theorem).
    /// </summary>
    Divergence,
}
