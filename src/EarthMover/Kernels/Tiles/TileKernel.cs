using System.Numerics;

namespace EarthMover.Kernels;

/// <summary>A fused CPU kernel at every vector width, from one <see cref="ITileBody{T}"/>.</summary>
/// <param name="body">The loss's constants and tile computation.</param>
internal sealed class TileKernel<T, TBody>(TBody body) : ITileKernel<T, SimdScalar<T>>, ITileKernel<T, Simd128x2<T>>, ITileKernel<T, Simd256<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TBody : struct, ITileBody<T>
{
    private readonly TBody _body = body;

    /// <inheritdoc/>
    public int Classes => _body.Classes;

    SimdScalar<T> ITileKernel<T, SimdScalar<T>>.Tile(Span<SimdScalar<T>> values, SimdScalar<T> inverse, Span<SimdScalar<T>> scratch, ReadOnlySpan<int> targets, ReadOnlySpan<SimdScalar<T>> soft, bool logits, SimdScalar<T> gradScale, bool needGrad) =>
        _body.Tile(values, inverse, scratch, targets, soft, logits, gradScale, needGrad);

    Simd128x2<T> ITileKernel<T, Simd128x2<T>>.Tile(Span<Simd128x2<T>> values, Simd128x2<T> inverse, Span<Simd128x2<T>> scratch, ReadOnlySpan<int> targets, ReadOnlySpan<Simd128x2<T>> soft, bool logits, Simd128x2<T> gradScale, bool needGrad) =>
        _body.Tile(values, inverse, scratch, targets, soft, logits, gradScale, needGrad);

    Simd256<T> ITileKernel<T, Simd256<T>>.Tile(Span<Simd256<T>> values, Simd256<T> inverse, Span<Simd256<T>> scratch, ReadOnlySpan<int> targets, ReadOnlySpan<Simd256<T>> soft, bool logits, Simd256<T> gradScale, bool needGrad) =>
        _body.Tile(values, inverse, scratch, targets, soft, logits, gradScale, needGrad);
}
