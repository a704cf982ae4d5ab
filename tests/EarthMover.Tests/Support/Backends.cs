using EarthMover.Kernels;

namespace EarthMover.Tests.Support;

/// <summary>Both implementations of every loss are tested: the fused CPU kernel and the tensor-operation form that CUDA runs.</summary>
public static class Backends
{
    public static TheoryData<string> All => new() { nameof(LossBackend.Fused), nameof(LossBackend.TensorOps) };

    internal static LossBackend Parse(string name) => Enum.Parse<LossBackend>(name);

    /// <summary>Every backend with every index of <paramref name="count"/> reference cases.</summary>
    public static TheoryData<string, int> WithCases(int count)
    {
        var data = new TheoryData<string, int>();
        foreach (var backend in new[] { nameof(LossBackend.Fused), nameof(LossBackend.TensorOps) })
        {
            for (int i = 0; i < count; i++)
            {
                data.Add(backend, i);
            }
        }
        return data;
    }
}
