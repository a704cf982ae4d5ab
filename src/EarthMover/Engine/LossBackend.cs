namespace EarthMover.Kernels;

/// <summary>Which implementation computes a loss.</summary>
internal enum LossBackend
{
    /// <summary>The fused kernel for float32/float64 CPU tensors, tensor operations otherwise.</summary>
    Auto,

    /// <summary>Always the fused CPU kernel (the input must be a float32/float64 CPU tensor).</summary>
    Fused,

    /// <summary>Always tensor operations with autograd (what runs on CUDA).</summary>
    TensorOps,
}
