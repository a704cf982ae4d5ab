using System.Runtime.InteropServices;

namespace EarthMover;

/// <summary>The per-class weight of a loss module, kept as PyTorch's weighted losses keep it: a buffer named "weight".</summary>
internal static class ClassWeights
{
    /// <summary>
    /// Checks <paramref name="weight"/> (1-D, floating point, finite and ≥ 0; its length is checked against C on each
    /// call) and registers it with <paramref name="module"/>: it is saved and loaded with the module and moves with
    /// <c>to(device)</c>. The module holds its own handle to the same storage, so that disposing the module leaves the
    /// caller's tensor alive, and changes the caller makes in place are seen.
    /// </summary>
    public static void Register(nn.Module module, Tensor? weight)
    {
        if (weight is null)
        {
            return;
        }
        if (weight.dim() != 1 || !weight.is_floating_point())
        {
            throw new ArgumentException($"weight has shape {Check.Shape(weight)} and type {weight.dtype}; give one floating-point weight per class.", nameof(weight));
        }
        using (var values = weight.detach().to(ScalarType.Float64, torch.CPU).contiguous())
        {
            LossValidation.CheckWeights(MemoryMarshal.Cast<byte, double>(values.bytes), nameof(weight));
        }
        var own = weight.detach();
        own.DetachFromDisposeScope();
        module.register_buffer(Name, own);
    }

    /// <summary>The module's per-class weight buffer (where <c>to(device)</c> left it), or null.</summary>
    public static Tensor? Of(nn.Module module) => module.named_buffers().Where(b => b.name == Name).Select(b => b.buffer).FirstOrDefault();

    private const string Name = "weight";
}
