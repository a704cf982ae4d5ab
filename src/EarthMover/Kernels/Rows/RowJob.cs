using static EarthMover.Kernels.TensorMemory;

namespace EarthMover.Kernels;

/// <summary>
/// The addresses and per-call values every worker of a fused CPU loss reads (<see cref="Rows.RowDriver{T}"/>,
/// <see cref="FusedLoss{T, TV}"/>).
/// </summary>
/// <typeparam name="T">The type of the input, gradient and per-row values.</typeparam>
/// <typeparam name="TSoft">The type target distributions are read as (double for the row kernels, T for the tile kernels).</typeparam>
internal readonly unsafe struct RowJob<T, TSoft>(T* input, TSoft* soft, long* indices, T* grad, T* perRow, int rows, double[]? weights, double reductionScale)
    where T : unmanaged
    where TSoft : unmanaged
{
    public T* Input { get; } = input;

    public TSoft* Soft { get; } = soft;

    public long* Indices { get; } = indices;

    public T* Grad { get; } = grad;

    public T* PerRow { get; } = perRow;

    public int Rows { get; } = rows;

    public double[]? Weights { get; } = weights;

    public double ReductionScale { get; } = reductionScale;

    /// <summary>The job of one call, on contiguous CPU tensors: the target holds distributions when <paramref name="soft"/> is set, indices otherwise.</summary>
    public static RowJob<T, TSoft> Of(Tensor input, Tensor target, bool soft, Tensor? grad, Tensor? perRow, double[]? weights, double reductionScale) =>
        new(
            Address<T>(input),
            soft ? Address<TSoft>(target) : null,
            soft ? null : Address<long>(target),
            grad is null ? null : Address<T>(grad),
            perRow is null ? null : Address<T>(perRow),
            checked((int)input.size(0)),
            weights,
            reductionScale);
}
