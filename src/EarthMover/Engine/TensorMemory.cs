using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EarthMover.Kernels;

/// <summary>What the CPU kernels need of a tensor's memory: a contiguous copy of a given type, its address, its weights.</summary>
internal static unsafe class TensorMemory
{
    /// <summary>Per-sample weights as float64 values, checked (finite, non-negative, one per row).</summary>
    public static double[] ReadWeights(Tensor weight, int rows)
    {
        using var w = weight.to(ScalarType.Float64, torch.CPU).contiguous();
        var values = MemoryMarshal.Cast<byte, double>(w.bytes).ToArray();
        LossValidation.CheckSampleWeights(values, rows);
        return values;
    }

    /// <summary><paramref name="t"/> as a contiguous tensor of <paramref name="type"/> (itself when it already is one).</summary>
    public static Tensor Contiguous(Tensor t, ScalarType type)
    {
        var converted = t.dtype == type ? t : t.to(type);
        return converted.is_contiguous() ? converted : converted.contiguous();
    }

    /// <summary>The address of a contiguous CPU tensor's first element; valid while the tensor lives.</summary>
    public static TElement* Address<TElement>(Tensor t)
        where TElement : unmanaged =>
        (TElement*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));
}
