using System.Globalization;
using System.Text.Json.Serialization;

namespace EarthMover.Training.Data;

/// <summary>How the values of the target column became classes.</summary>
internal enum TargetKind
{
    /// <summary>The classes of --order, matched as text, or as numbers when every class is a number.</summary>
    [JsonStringEnumMemberName("order")]
    Order,

    /// <summary>The distinct values of a numeric target with few integer values, ascending.</summary>
    [JsonStringEnumMemberName("values")]
    Values,

    /// <summary>A numeric target cut into intervals at stored edges (--bins).</summary>
    [JsonStringEnumMemberName("bins")]
    Bins,

    /// <summary>The labels of image data (class indices of an IDX labels file).</summary>
    [JsonStringEnumMemberName("labels")]
    Labels,

    /// <summary>One column per class holding counts or probabilities (--target-columns); the classes are the columns.</summary>
    [JsonStringEnumMemberName("columns")]
    Columns,
}

/// <summary>
/// The target of a run: its column, the classes in order, and how a value becomes a class, so that evaluate
/// and predict read labels exactly as training did (the bin edges of --bins included).
/// </summary>
internal sealed record TargetSchema
{
    /// <summary>The most distinct values a numeric target may have to be used as classes without --bins or --order.</summary>
    public const int MaxNumericClasses = 30;

    /// <summary>The most classes --bins makes.</summary>
    public const int MaxBins = 100;

    /// <summary>The binnings of --binning.</summary>
    public static readonly string[] Binnings = ["quantile", "width"];

    private Dictionary<string, int>? _byText;
    private Dictionary<double, int>? _byNumber;

    /// <summary>The target column (null for image labels).</summary>
    public string? Column { get; init; }

    /// <summary>Class names, lowest first.</summary>
    public string[] Classes { get; init; } = [];

    public TargetKind Kind { get; init; }

    /// <summary>--bins: the edges between classes (C − 1 values, increasing): class k holds values in [edge k−1, edge k).</summary>
    public double[]? Edges { get; init; }

    /// <summary>--bins: quantile or width.</summary>
    public string? Binning { get; init; }

    /// <summary>The target of --target-columns: the classes are the columns, in order (no single target column).</summary>
    public static TargetSchema ForColumns(string[] columns) => new() { Classes = columns, Kind = TargetKind.Columns };

    /// <summary>The class of image labels (their names only).</summary>
    public static TargetSchema ForLabels(string[] classes) => new() { Classes = classes, Kind = TargetKind.Labels };

    /// <summary>
    /// The target of a training table: the classes of --order, --bins edges cut from the values, or the distinct
    /// values of a numeric target with at most <see cref="MaxNumericClasses"/> integer values.
    /// </summary>
    /// <param name="column">The target column.</param>
    /// <param name="values">Its values (none missing).</param>
    /// <param name="lines">The line of the file of each value, for messages.</param>
    /// <param name="order">--order, or null.</param>
    /// <param name="bins">--bins, or null.</param>
    /// <param name="binning">--binning.</param>
    /// <param name="notes">What the user should know (bins merged).</param>
    public static TargetSchema Infer(string column, IReadOnlyList<string> values, IReadOnlyList<int> lines, IReadOnlyList<string>? order, int? bins, string binning, List<string> notes)
    {
        if (order is not null)
        {
            if (bins is not null)
            {
                throw new UserError("--bins and --order both say what the classes are: give one of them.");
            }
            return FromOrder(column, order);
        }
        var numbers = new double[values.Count];
        for (int i = 0; i < values.Count; i++)
        {
            if (!TryNumber(values[i], out numbers[i]))
            {
                throw new UserError(bins is null
                    ? $"--target: '{column}' is not numeric ('{values[i]}', line {lines[i]}); give its class order with --order, lowest first."
                    : $"--bins: '{column}' is not numeric ('{values[i]}', line {lines[i]}); --bins cuts numbers into classes, --order orders text classes.");
            }
        }
        if (bins is int k)
        {
            return FromBins(column, numbers, k, binning, notes);
        }
        var distinct = numbers.Distinct().Order().ToArray();
        if (distinct.Length < 2)
        {
            throw new UserError($"--target: '{column}' has a single value; there must be at least two classes.");
        }
        string range = $"{Format(distinct[0])} .. {Format(distinct[^1])}";
        if (distinct.Any(v => v != Math.Floor(v)))
        {
            throw new UserError($"--target: '{column}' has non-integer values ({range}, {Plural.Of(distinct.Length, "distinct value")}): give --bins K to cut it into K ordered classes (--binning quantile or width), or name the classes with --order.");
        }
        if (distinct.Length > MaxNumericClasses)
        {
            throw new UserError($"--target: '{column}' has {distinct.Length} distinct values ({range}), more than the {MaxNumericClasses} classes a numeric target may have: give --bins K to cut it into K ordered classes (--binning quantile or width), or name the classes with --order.");
        }
        return new TargetSchema { Column = column, Classes = distinct.Select(Format).ToArray(), Kind = TargetKind.Values };
    }

    /// <summary>The class of a value, or null when it is none of the classes.</summary>
    public int? ClassOf(string value)
    {
        switch (Kind)
        {
            case TargetKind.Bins:
                if (!TryNumber(value, out double x))
                {
                    return null;
                }
                int k = 0;
                while (k < Edges!.Length && x >= Edges[k])
                {
                    k++;
                }
                return k;
            case TargetKind.Values:
            case TargetKind.Order when IsNumericOrder:
                _byNumber ??= Classes.Select((c, i) => (Value: Number(c), Index: i)).ToDictionary(p => p.Value, p => p.Index);
                return TryNumber(value, out double v) && _byNumber.TryGetValue(v, out int byNumber) ? byNumber : null;
            default:
                _byText ??= Classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
                return _byText.TryGetValue(value, out int byText) ? byText : null;
        }
    }

    /// <summary>The error for a value that is none of the classes, with a hint when it differs from one only by case.</summary>
    public UserError NotAClass(string value, int line, string source)
    {
        string? sameButCase = Classes.FirstOrDefault(c => string.Equals(c, value, StringComparison.OrdinalIgnoreCase));
        string hint = sameButCase is null ? "" : $" (it differs from '{sameButCase}' only by case; classes are case-sensitive)";
        string list = Classes.Length <= 12 ? string.Join(", ", Classes) : $"{string.Join(", ", Classes.Take(10))}, ... ({Classes.Length} classes)";
        string option = Kind == TargetKind.Order ? "--order: " : "";
        return new UserError($"{option}{source}, line {line}: the '{Column}' value '{value}' is not one of {list}{hint}.");
    }

    // --order given as numbers ("1.0,2.0") matches numeric values by value.
    private bool IsNumericOrder => Classes.All(c => TryNumber(c, out _));

    private static TargetSchema FromOrder(string column, IReadOnlyList<string> order)
    {
        if (order.Count < 2)
        {
            throw new UserError("--order must name at least two classes.");
        }
        bool numeric = order.All(o => TryNumber(o, out _));
        var duplicates = order.GroupBy(o => numeric ? Number(o).ToString(CultureInfo.InvariantCulture) : o, StringComparer.Ordinal)
            .Where(g => g.Count() > 1).Select(g => string.Join(" and ", g.Distinct())).ToArray();
        if (duplicates.Length > 0)
        {
            throw new UserError($"--order names {string.Join(", ", duplicates)} more than once.");
        }
        return new TargetSchema { Column = column, Classes = [.. order], Kind = TargetKind.Order };
    }

    // Quantile edges are values of the data (the k/K-th smallest), so every class holds at least its lower edge;
    // equal-width edges that would leave a class empty are dropped, and ties can merge quantile classes: both say so.
    private static TargetSchema FromBins(string column, double[] values, int bins, string binning, List<string> notes)
    {
        var sorted = values.Order().ToArray();
        double min = sorted[0], max = sorted[^1];
        var candidates = Enumerable.Range(1, bins - 1).Select(k => binning == "width"
            ? min + k * (max - min) / bins
            : sorted[(int)((long)k * sorted.Length / bins)]);
        var edges = candidates.Where(e => e > min && e <= max).Distinct().Order().ToList();
        // Drop the edges of empty classes (equal width over a gap).
        for (int k = 0; k < edges.Count; k++)
        {
            double low = k == 0 ? double.NegativeInfinity : edges[k - 1];
            int lowIndex = Array.FindIndex(sorted, v => v >= low);
            if (lowIndex < 0 || sorted[lowIndex] >= edges[k])
            {
                edges.RemoveAt(k);
                k--;
            }
        }
        if (edges.Count == 0)
        {
            throw new UserError($"--bins {bins}: '{column}' has too few distinct values ({Format(min)} .. {Format(max)}) to make two classes.");
        }
        if (edges.Count + 1 < bins)
        {
            notes.Add($"--bins {bins}: {edges.Count + 1} classes, since {(binning == "width" ? "some equal-width intervals hold no value" : "ties in '" + column + "' share a quantile")}");
        }
        var bounds = new[] { min }.Concat(edges).Append(max).ToArray();
        string[] names = Names(bounds, "G6");
        if (names.Distinct().Count() < names.Length)
        {
            names = Names(bounds, "R");
        }
        return new TargetSchema { Column = column, Classes = names, Kind = TargetKind.Bins, Edges = [.. edges], Binning = binning };
    }

    // [low, high) for every class, the last closed: values outside the training range go to the first or last class.
    private static string[] Names(double[] bounds, string format) =>
        Enumerable.Range(0, bounds.Length - 1)
            .Select(k => $"[{bounds[k].ToString(format, CultureInfo.InvariantCulture)}, {bounds[k + 1].ToString(format, CultureInfo.InvariantCulture)}{(k == bounds.Length - 2 ? "]" : ")")}")
            .ToArray();

    private static string Format(double v) => v.ToString(CultureInfo.InvariantCulture);

    public static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
