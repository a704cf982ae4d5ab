namespace EarthMover;

/// <summary>Argument checks shared by the losses; each throws an ArgumentException naming the parameter.</summary>
internal static class Check
{
    /// <summary>input must be N x C floating point with N ≥ 0 and C ≥ 2; returns C. (An empty batch is defined: docs/math.md §7.)</summary>
    public static int Input(Tensor input, string parameter = "input") => Input(input, 2, null, parameter);

    /// <summary>
    /// input must be N x W floating point with W ≥ <paramref name="minimumWidth"/>; returns W. A threshold model
    /// (<paramref name="thresholds"/> names it) has W = K - 1 outputs, so W ≥ 1 for K ≥ 2.
    /// </summary>
    public static int Input(Tensor input, int minimumWidth, string? thresholds, string parameter = "input")
    {
        ArgumentNullException.ThrowIfNull(input, parameter);
        if (input.dim() != 2)
        {
            throw new ArgumentException($"{parameter} must be 2-D (N x C: one row of class scores per sample); it has shape {Shape(input)}.", parameter);
        }
        if (!IsFloating(input.dtype))
        {
            throw new ArgumentException($"{parameter} must be a floating-point tensor; it is {input.dtype}.", parameter);
        }
        long classes = input.size(1);
        if (classes < minimumWidth)
        {
            string message = thresholds is null
                ? $"{parameter} has C = {classes} classes; these losses need C >= 2."
                : $"{parameter} has {classes} columns; {thresholds} takes K - 1 outputs for K >= 2 classes, so at least {minimumWidth}.";
            throw new ArgumentException(message, parameter);
        }
        return checked((int)classes);
    }

    private static bool IsFloating(ScalarType type) =>
        type is ScalarType.Float32 or ScalarType.Float64 or ScalarType.Float16 or ScalarType.BFloat16;

    /// <summary>target must be class indices (N, integer) or, when <paramref name="allowSoft"/>, distributions (N x C, floating point).</summary>
    public static void Target(Tensor input, Tensor target, bool allowSoft, string parameter = "target") =>
        Target(input, target, allowSoft, checked((int)input.size(1)), parameter);

    /// <summary>As <see cref="Target(Tensor, Tensor, bool, string)"/>, for K classes (target distributions have K columns).</summary>
    public static void Target(Tensor input, Tensor target, bool allowSoft, int classes, string parameter = "target")
    {
        ArgumentNullException.ThrowIfNull(target, parameter);
        SameDevice(input, target, parameter);
        long rows = input.size(0);
        int dimensions = (int)target.dim();
        var type = target.dtype;
        if (dimensions == 1)
        {
            if (type is not (ScalarType.Int64 or ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte))
            {
                throw new ArgumentException($"{parameter} of shape {Shape(target)} must hold integer class indices (int64); it is {target.dtype}.", parameter);
            }
            if (target.size(0) != rows)
            {
                throw new ArgumentException($"{parameter} has {target.size(0)} class indices but input has {rows} rows.", parameter);
            }
            return;
        }
        if (dimensions == 2 && allowSoft)
        {
            if (!IsFloating(type))
            {
                throw new ArgumentException($"{parameter} of shape {Shape(target)} is read as target distributions and must be floating point; it is {target.dtype}.", parameter);
            }
            if (target.size(0) != rows || target.size(1) != classes)
            {
                throw new ArgumentException($"{parameter} has shape {Shape(target)} but input has shape {Shape(input)}; target distributions must match it.", parameter);
            }
            return;
        }
        string expected = allowSoft ? "class indices (N) or target distributions (N x C)" : "class indices (N); this loss needs one-hot targets";
        throw new ArgumentException($"{parameter} has shape {Shape(target)}; expected {expected}.", parameter);
    }

    /// <summary>sample_weight, when given, must hold one floating-point entry per sample.</summary>
    public static void SampleWeight(Tensor input, Tensor? weight, string parameter = "sample_weight")
    {
        if (weight is null)
        {
            return;
        }
        SameDevice(input, weight, parameter);
        if (weight.dim() != 1 || weight.size(0) != input.size(0))
        {
            string hint = weight.dim() == 1 && weight.size(0) == input.size(1) ? "; one weight per class is the loss's weight" : "";
            throw new ArgumentException($"{parameter} has shape {Shape(weight)}; give one weight per sample ({input.size(0)}){hint}.", parameter);
        }
        if (!IsFloating(weight.dtype))
        {
            throw new ArgumentException($"{parameter} must be floating point; it is {weight.dtype}.", parameter);
        }
    }

    /// <summary>
    /// weight (per class), when given, must hold one floating-point entry per class, and the target must be
    /// class indices: a per-class weight is not defined for target distributions (docs/math.md §7).
    /// </summary>
    public static void ClassWeight(Tensor input, Tensor target, Tensor? weight, string parameter = "weight") =>
        ClassWeight(input, target, weight, checked((int)input.size(1)), parameter);

    /// <summary>As <see cref="ClassWeight(Tensor, Tensor, Tensor?, string)"/>, for K classes.</summary>
    public static void ClassWeight(Tensor input, Tensor target, Tensor? weight, int classes, string parameter = "weight")
    {
        if (weight is null)
        {
            return;
        }
        SameDevice(input, weight, parameter);
        if (weight.dim() != 1 || weight.size(0) != classes)
        {
            string hint = weight.dim() == 1 && weight.size(0) == input.size(0) ? "; one weight per sample is sample_weight" : "";
            throw new ArgumentException($"{parameter} has shape {Shape(weight)}; give one weight per class ({classes}){hint}.", parameter);
        }
        if (!IsFloating(weight.dtype))
        {
            throw new ArgumentException($"{parameter} must be floating point; it is {weight.dtype}.", parameter);
        }
        if (target.dim() != 1)
        {
            throw new ArgumentException($"{parameter} (one weight per class) applies to class-index targets, and target holds distributions; pass sample_weight = target.matmul({parameter}) if the expected class weight is meant.", parameter);
        }
    }

    /// <summary>An empty batch has no mean (0/0; docs/math.md §7): refused, while Sum (0) and None (empty) are defined.</summary>
    public static void MeanOfEmptyBatch(Tensor input, nn.Reduction reduction)
    {
        if (input.size(0) == 0 && reduction == nn.Reduction.Mean)
        {
            throw new ArgumentException($"input has no rows (shape {Shape(input)}): the mean over an empty batch is 0/0; use Reduction.Sum (0) or Reduction.None (an empty tensor), or skip the batch.", nameof(input));
        }
    }

    /// <summary>The power p must be finite and at least 1; returns it.</summary>
    public static double Power(double p, string parameter = "p")
    {
        if (!(p >= 1) || double.IsInfinity(p))
        {
            throw new ArgumentException($"{parameter} = {p}; the power p must be finite and >= 1.", parameter);
        }
        return p;
    }

    /// <summary>The normalisation must be an <see cref="EmdNormalization"/> value; returns it.</summary>
    public static EmdNormalization Normalization(EmdNormalization normalization) =>
        Enum.IsDefined(normalization)
            ? normalization
            : throw new ArgumentException($"normalization = {normalization} is not an EmdNormalization value.", nameof(normalization));

    /// <summary>Class positions, when given: at least 2, finite, strictly increasing. Returns a copy (or null).</summary>
    public static double[]? Positions(IReadOnlyList<double>? positions, string parameter = "positions")
    {
        if (positions is null)
        {
            return null;
        }
        if (positions.Count < 2)
        {
            throw new ArgumentException($"{parameter} has {positions.Count} entries; there must be C >= 2 classes.", parameter);
        }
        Gaps(positions, positions.Count, parameter);
        return positions.ToArray();
    }

    /// <summary>Class positions: C finite values, strictly increasing. Returns the gaps x_{m+1} - x_m.</summary>
    public static double[] Gaps(IReadOnlyList<double>? positions, int classes, string parameter = "positions")
    {
        var gaps = new double[classes - 1];
        if (positions is null)
        {
            Array.Fill(gaps, 1.0);
            return gaps;
        }
        if (positions.Count != classes)
        {
            throw new ArgumentException($"{parameter} has {positions.Count} entries but there are {classes} classes; give one position per class.", parameter);
        }
        for (int m = 0; m < classes; m++)
        {
            if (!double.IsFinite(positions[m]))
            {
                throw new ArgumentException($"{parameter}[{m}] = {positions[m]}; positions must be finite.", parameter);
            }
            if (m > 0)
            {
                gaps[m - 1] = positions[m] - positions[m - 1];
                if (!(gaps[m - 1] > 0))
                {
                    throw new ArgumentException($"{parameter} must be strictly increasing, but {parameter}[{m - 1}] = {positions[m - 1]} and {parameter}[{m}] = {positions[m]}.", parameter);
                }
            }
        }
        return gaps;
    }

    /// <summary>A matrix's class count must match the input's.</summary>
    public static void Classes(int expected, int actual, string parameter)
    {
        if (expected != actual)
        {
            throw new ArgumentException($"{parameter} is {actual} x {actual} but input has {expected} classes.", parameter);
        }
    }

    /// <summary>An option's number of classes (a tree's) must match the input's.</summary>
    public static void ClassCount(int expected, int actual, string parameter)
    {
        if (expected != actual)
        {
            throw new ArgumentException($"{parameter} has {actual} classes but input has {expected}.", parameter);
        }
    }

    private static void SameDevice(Tensor input, Tensor other, string parameter)
    {
        var type = input.device_type;
        if (other.device_type != type || (type != DeviceType.CPU && other.device_index != input.device_index))
        {
            throw new ArgumentException($"{parameter} is on {other.device} but input is on {input.device}.", parameter);
        }
    }

    public static string Shape(Tensor t) => "[" + string.Join(", ", t.shape) + "]";
}
