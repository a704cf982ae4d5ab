using EarthMover.Kernels.Rows;

namespace EarthMover.Losses.Ordinal;

/// <summary>
/// The binary cross-entropy of the K - 1 threshold tasks (docs/math.md §16-§18): L = Σ_q λ_q (softplus(z_q) -
/// ℓ_q z_q) with ℓ_q = [y &gt; q], over all tasks (CORAL, logistic all-threshold) or over the tasks q ≤ y whose
/// conditional training subset holds the sample (CORN). dL/dz_q = λ_q (σ(z_q) - ℓ_q).
/// </summary>
internal sealed class ThresholdKernel(int classes, double[]? importance, bool conditional) : IRawRowKernel
{
    public int Width => classes - 1;

    public int Classes => classes;

    public long RowCost => 8L * (classes - 1);

    public bool EntriesInUnitInterval => false;

    public double MeanCount(int target) => conditional ? Math.Min(target + 1, classes - 1) : 1.0;

    public double Row(ReadOnlySpan<double> x, int target, Span<double> gradient)
    {
        int tasks = classes - 1;
        int used = conditional ? Math.Min(target + 1, tasks) : tasks;
        double loss = 0;
        for (int q = 0; q < used; q++)
        {
            double z = x[q];
            double level = target > q ? 1 : 0;
            double lambda = importance?[q] ?? 1.0;
            // One exponential for both: softplus(z) = max(z, 0) + log(1 + e^-|z|), σ(z) from the same e^-|z|.
            double e = Math.Exp(-Math.Abs(z));
            loss += lambda * (Math.Max(z, 0) + Math.Log(1 + e) - level * z);
            if (!gradient.IsEmpty)
            {
                double sigma = z >= 0 ? 1 / (1 + e) : e / (1 + e);
                gradient[q] = lambda * (sigma - level);
            }
        }
        if (!gradient.IsEmpty)
        {
            gradient[used..tasks].Clear();
        }
        return loss;
    }
}
