using EarthMover.Kernels;

namespace EarthMover.Tests.Support;

/// <summary>Both implementations of every loss are tested: the fused CPU kernel and the tensor-operation form that CUDA runs.</summary>
public static class Backends
{
    public static TheoryData<string> All => new() { nameof(LossBackend.Fused), nameof(LossBackend.TensorOps) };

    internal static LossBackend Parse(string name) => Enum.Parse<LossBackend>(name);
}
