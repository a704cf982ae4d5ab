using System.Globalization;

namespace EarthMover.Training;

/// <summary>
/// Label distributions made from class indices (--soft-labels gaussian:SIGMA, as in DLDL, Gao et al. 2017): class
/// y becomes t_k ∝ exp(−(k − y)² / (2σ²)) over the ordered classes k = 0..C−1, σ in class steps, cut at both
/// ends of the scale and scaled to sum to 1 (so near an end the mean moves inwards a little). Any other member of
/// the soft-label family of the loss table (sord, binomial, poisson, exponential, beta, triangular, geometric) gives
/// the rows of its <c>SoftLabelShape</c> matrix the same way: --soft-labels SHAPE makes the targets that --loss
/// SHAPE trains on with cross-entropy, for the losses that take distributions (ce, emd2, emd, sinkhorn, tree).
/// </summary>
internal static class SoftLabels
{
    /// <summary>
    /// Parses --soft-labels: gaussian:SIGMA (as always: the sigma, shape null), or any member of the soft-label
    /// family as --loss names it, gaussian with named parameters included (sigma null, the shape's canonical text).
    /// </summary>
    public static (double? Sigma, string? Shape) Parse(string text)
    {
        string trimmed = text.Trim();
        bool plainGaussian = trimmed.StartsWith("gaussian", StringComparison.OrdinalIgnoreCase) && !trimmed.Contains('=', StringComparison.Ordinal);
        return plainGaussian ? (ParseGaussian(trimmed), null) : (null, ParseShape(trimmed).Text);
    }

    /// <summary>A member of the soft-label family as typed after --soft-labels, checked.</summary>
    public static LossSpec ParseShape(string text)
    {
        var spec = LossSpec.Parse(text, "--soft-labels");
        if (spec.Method?.Shape is null)
        {
            var shapes = Methods.LossMethods.All.Where(m => m.Shape is not null).Select(m => m.Name);
            throw new UserError($"--soft-labels: '{spec.Name}' is not a soft-label shape; give one of {string.Join(", ", shapes)} (e.g. gaussian:1, sord:alpha=2).");
        }
        return spec;
    }

    /// <summary>Checks that the shape of a soft-label loss is defined for <paramref name="classes"/> classes (beta's set is for 3 to 14).</summary>
    public static void CheckShape(LossSpec shape, int classes, string option = "--soft-labels")
    {
        try
        {
            shape.Shape()!.Matrix(classes);
        }
        catch (ArgumentException e)
        {
            throw new UserError($"{option} {shape.Text}: the shape is not defined for these {classes} classes ({e.Message.Split(" (Parameter", StringSplitOptions.None)[0]}).");
        }
    }

    /// <summary>The target rows of a shape for each label, row-major (N x C), as float32 for a tensor.</summary>
    public static float[] Rows(IReadOnlyList<int> labels, int classes, LossSpec shape)
    {
        // The rows soft_label_ce_loss mixes with the same η.
        var matrix = shape.Shape()!.Matrix(classes, shape.Number("eta"));
        var result = new float[labels.Count * classes];
        for (int i = 0; i < labels.Count; i++)
        {
            for (int k = 0; k < classes; k++)
            {
                result[i * classes + k] = (float)matrix[labels[i], k];
            }
        }
        return result;
    }

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
        throw new UserError($"--soft-labels: '{text}' must be gaussian:SIGMA with SIGMA a finite number > 0 in class steps, e.g. gaussian:1 (or another soft-label shape: earthmover losses lists them).");
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
