using EarthMover.Kernels.Rows;
using EarthMover.Kernels.Transport;

namespace EarthMover;

/// <summary>The exact EMD under any ground distance (docs/math.md §10): a row kernel solving each row's transport problem.</summary>
internal sealed class EmdDefinition(GroundDistance distance) : DistanceDefinition(distance)
{
    public override string Name => "emd_loss";

    public override bool DifferentiatesTarget => false;

    public override FusedKind Fused => FusedKind.Row;

    public override IRowKernel RowKernel(int classes) => Solver(Distance);

    // EMD(p, δ_k) = Σ_i p_i D_ik: every plan to a point mass moves all of p to k.
    public override LossDefinition ForClassIndices(bool logits) => logits ? new GroundEmdDefinition(Distance, Name) : this;

    /// <summary>The EMD is piecewise linear in the prediction: its tangent form is exact (<see cref="TangentForm"/>).</summary>
    public override Tensor TensorRows(Tensor input, Tensor target, bool logits) =>
        TangentForm.Rows(Solver(Distance), input, target, logits);

    /// <summary>The solver for a distance, made once per distance.</summary>
    internal static ExactTransport Solver(GroundDistance distance) =>
        distance.CachedKernel(() => new ExactTransport(distance.Classes, distance.Values));
}
