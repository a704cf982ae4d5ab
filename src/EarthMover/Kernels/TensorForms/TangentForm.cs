using EarthMover.Kernels.Rows;

namespace EarthMover.Engine;

/// <summary>
/// The tensor-operation form of a loss computed by a row kernel (a transport solver): the kernel gives each row's
/// value V(p₀) and a (sub)gradient g at the current prediction p₀, and the row is V(p₀) + ⟨g, p - p₀⟩ with p₀ held
/// constant. The losses it serves are piecewise linear in p (the value of a linear program in its marginal), so
/// this is the loss itself, exact in value, first and second derivatives wherever the solution is unique: the
/// second derivative with respect to logits is that of the softmax, weighted by g. The kernel runs on the CPU in
/// double precision; the rows are built on the input's device and type.
/// </summary>
internal static class TangentForm
{
    /// <param name="kernel">The row kernel (it may check rows and throw naming the parameter).</param>
    /// <param name="input">N x C logits or probabilities.</param>
    /// <param name="target">N class indices or N x C distributions.</param>
    /// <param name="logits">Whether <paramref name="input"/> holds logits.</param>
    public static Tensor Rows(IRowKernel kernel, Tensor input, Tensor target, bool logits)
    {
        using var scope = torch.NewDisposeScope();
        var p = logits ? input.softmax(1) : input;
        var p0 = p.detach();
        Tensor values, gradient;
        using (torch.no_grad())
        {
            // The solver's prediction in double precision (half-precision softmax rows can miss 1 by more than the tolerance).
            var wide = input.detach().to(ScalarType.Float64, torch.CPU);
            var cpu = (logits ? wide.softmax(1) : wide).contiguous();
            var solver = new RowLoss<double>(kernel, target.to(torch.CPU), null, nn.Reduction.None, logits: false);
            // The driver centres the gradient on the simplex, as the fused path returns it for probabilities.
            var (v, g) = solver.Run(cpu, needGrad: true);
            values = v.to(input.dtype, input.device);
            gradient = g!.to(input.dtype, input.device);
        }
        return (values + (gradient * (p - p0)).sum(1)).MoveToOuterDisposeScope();
    }
}
