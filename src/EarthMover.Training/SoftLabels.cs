using System.Globalization;

namespace EarthMover.Training;

/// <summary>
/// Label distributions made from class indices (--soft-labels gaussian:SIGMA, as in DLDL, Gao et al. 2017): class
/// y becomes t_k ∝ exp(−(k − y)² / (2σ²)) over the ordered classes k = 0..C−1, σ in class steps, cut at both
/// ends of the scale and scaled to sum to 1 (so near an end the mean moves inwards a little).
/// </summary>
internal static class SoftLabels
{
    /// <summary>Parses --soft-labels: gaussian:SIGMA with SIGMA a positive number.</summary>
    public static double ParseGaussian(string text)
    {
        const string prefix = "gaussian:";
        if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && double.TryParse(text[prefix.Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out double sigma)
            && sigma > 0 && double.IsFinite(sigma))
        {
            return sigma;
        }
        throw new UserError($"--soft-labels: '{text}' must be gaussian:SIGMA with SIGMA a finite number > 0 in class steps, e.g. gaussian:1.");
    }

    /// <summary>The discretised Gaussian of width <paramref name="sigma"/> around class <paramref name="label"/>, over <paramref name="classes"/> classes.</summary>
    public static double[] Gaussian(int label, int classes, double sigma)
    {
        var t = new double[classes];
        double total = 0;
        for (int k = 0; k < classes; k++)
        {
            double z = (k - label) / sigma;
            t[k] = Math.Exp(-0.5 * z * z);
            total += t[k];
        }
        for (int k = 0; k < classes; k++)
        {
            t[k] /= total;
        }
        return t;
    }

    /// <summary>The Gaussian label distribution of each label, row-major (N x C), as float32 for a tensor.</summary>
    public static float[] Gaussians(IReadOnlyList<int> labels, int classes, double sigma)
    {
        var table = Enumerable.Range(0, classes).Select(k => Gaussian(k, classes, sigma)).ToArray();
        var result = new float[labels.Count * classes];
        for (int i = 0; i < labels.Count; i++)
        {
            for (int k = 0; k < classes; k++)
            {
                result[i * classes + k] = (float)table[labels[i]][k];
            }
        }
        return result;
    }
}
