using EarthMover.Kernels;

namespace EarthMover;

/// <summary>The EMD to one-hot targets under a ground distance (docs/math.md §3): Σ_i p_i D_ik, a tile kernel.</summary>
internal sealed class GroundEmdDefinition(GroundDistance distance, string name = "ground_emd_loss") : DistanceDefinition(distance)
{
    /// <summary>ground_emd_loss, or the loss whose class-index case it computes (emd_loss, wasserstein_1d_loss), for messages.</summary>
    public override string Name => name;

    public override bool AcceptsDistributions => false;

    public override FusedKind Fused => FusedKind.Tile;

    public override ITileKernel<T> TileKernel<T>(int classes) => Distance.Kernel<T>();

    public override Tensor TensorRows(Tensor input, Tensor target, bool logits) =>
        TensorOpsLosses.GroundRows(input, target, Distance, logits);
}
