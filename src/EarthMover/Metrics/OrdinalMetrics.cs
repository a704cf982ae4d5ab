namespace EarthMover;

/// <summary>
/// The metrics users of ordinal classifiers expect (docs/math.md §9), computed from true and predicted class indices
/// (and, for the mean EMD, the predicted distributions).
/// </summary>
/// <param name="Samples">How many samples were scored.</param>
/// <param name="ExactAccuracy">Fraction with predicted = true.</param>
/// <param name="OneOffAccuracy">Fraction with |predicted − true| ≤ 1.</param>
/// <param name="MeanAbsoluteError">Mean |predicted − true|, in classes.</param>
/// <param name="MacroMeanAbsoluteError">The mean absolute error of each true class, averaged over the classes present.</param>
/// <param name="QuadraticWeightedKappa">Cohen's kappa with weights (i − j)² / (C − 1)²: 1 perfect, 0 chance.</param>
/// <param name="MeanEmd">Mean exact EMD (W1, in classes) from the predicted distribution to the true class; NaN without distributions. Descriptive, not a proper score: against a one-hot truth it is E_p |k − y|, linear in p, and a point mass on the median beats the true distribution; compare predicted distributions with <see cref="ProperScores"/>.</param>
/// <param name="Confusion">Counts: row = true class, column = predicted class.</param>
public sealed record OrdinalMetrics(
    int Samples,
    double ExactAccuracy,
    double OneOffAccuracy,
    double MeanAbsoluteError,
    double MacroMeanAbsoluteError,
    double QuadraticWeightedKappa,
    double MeanEmd,
    long[][] Confusion)
{
    /// <summary>Scores predictions against the truth.</summary>
    /// <param name="truth">True class indices in [0, C).</param>
    /// <param name="predicted">Predicted class indices in [0, C).</param>
    /// <param name="classes">C ≥ 2.</param>
    /// <param name="probabilities">Optional predicted distributions, one row of C per sample, for the mean EMD.</param>
    public static OrdinalMetrics Compute(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, int classes, IReadOnlyList<double[]>? probabilities = null)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        if (classes < 2)
        {
            throw new ArgumentException($"{nameof(classes)} = {classes}; there must be C >= 2 classes.", nameof(classes));
        }
        if (truth.Count != predicted.Count || truth.Count == 0)
        {
            throw new ArgumentException($"{nameof(truth)} has {truth.Count} entries and {nameof(predicted)} {predicted.Count}; they must be equal and not empty.", nameof(predicted));
        }
        if (probabilities is not null && probabilities.Count != truth.Count)
        {
            throw new ArgumentException($"{nameof(probabilities)} has {probabilities.Count} rows for {truth.Count} samples.", nameof(probabilities));
        }
        int n = truth.Count;
        var confusion = new long[classes][];
        for (int k = 0; k < classes; k++)
        {
            confusion[k] = new long[classes];
        }
        double exact = 0, oneOff = 0, absolute = 0;
        for (int i = 0; i < n; i++)
        {
            int t = truth[i], p = predicted[i];
            if ((uint)t >= (uint)classes || (uint)p >= (uint)classes)
            {
                throw new ArgumentException($"sample {i}: true {t}, predicted {p}; classes must be in [0, {classes}).", nameof(truth));
            }
            confusion[t][p]++;
            int error = Math.Abs(t - p);
            exact += error == 0 ? 1 : 0;
            oneOff += error <= 1 ? 1 : 0;
            absolute += error;
        }

        double macro = 0;
        int present = 0;
        for (int t = 0; t < classes; t++)
        {
            long count = confusion[t].Sum();
            if (count == 0)
            {
                continue;
            }
            double sum = 0;
            for (int p = 0; p < classes; p++)
            {
                sum += confusion[t][p] * Math.Abs(t - p);
            }
            macro += sum / count;
            present++;
        }

        double meanEmd = double.NaN;
        if (probabilities is not null)
        {
            double total = 0;
            for (int i = 0; i < n; i++)
            {
                var row = probabilities[i];
                double cdf = 0;
                for (int m = 0; m < classes - 1; m++)
                {
                    cdf += row[m];
                    total += Math.Abs(cdf - (m >= truth[i] ? 1 : 0));
                }
            }
            meanEmd = total / n;
        }

        return new OrdinalMetrics(n, exact / n, oneOff / n, absolute / n, macro / present, Kappa(confusion, classes, n), meanEmd, confusion);
    }

    // Quadratic weighted kappa: 1 − Σ w O / Σ w E, w_ij = (i − j)² / (C − 1)², E from the marginals.
    private static double Kappa(long[][] confusion, int classes, int n)
    {
        var rows = new double[classes];
        var columns = new double[classes];
        for (int i = 0; i < classes; i++)
        {
            for (int j = 0; j < classes; j++)
            {
                rows[i] += confusion[i][j];
                columns[j] += confusion[i][j];
            }
        }
        double observed = 0, expected = 0;
        for (int i = 0; i < classes; i++)
        {
            for (int j = 0; j < classes; j++)
            {
                double w = (double)(i - j) * (i - j) / ((classes - 1.0) * (classes - 1.0));
                observed += w * confusion[i][j];
                expected += w * rows[i] * columns[j] / n;
            }
        }
        return expected == 0 ? 1.0 : 1.0 - observed / expected;
    }
}
