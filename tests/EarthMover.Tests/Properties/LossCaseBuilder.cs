using EarthMover.Kernels;
using EarthMover.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Tests.Properties;

/// <summary>What a call must do: return the reference value, throw an ArgumentException, or either (a value within rounding of a tolerance).</summary>
internal enum Verdict
{
    Valid,
    Invalid,
    Either,
}

/// <summary>
/// Makes the tensors of a <see cref="LossCase"/> (in the caller's dispose scope), decides from the case alone whether
/// the call is valid (docs/math.md §7–§8), and computes the reference: the value by brute force in float64 from the
/// definitions, the gradient by autograd through the tensor-operation form in float64.
/// </summary>
internal sealed class LossCaseBuilder
{
    private readonly LossCase _c;
    private readonly Random _random;
    private readonly List<string> _invalid = [];
    private bool _ambiguous;

    private LossCaseBuilder(LossCase c)
    {
        _c = c;
        _random = new Random(c.Seed);
    }

    public Tensor Input { get; private set; } = null!;

    public Tensor Target { get; private set; } = null!;

    public Tensor? SampleWeight { get; private set; }

    public Tensor? ClassWeight { get; private set; }

    /// <summary>The leaves that need a gradient, and how each maps to the tensor the loss sees.</summary>
    public List<(Tensor Leaf, Func<Tensor, Tensor> View, string Name)> GradientLeaves { get; } = [];

    public Verdict Verdict => _invalid.Count > 0 ? Verdict.Invalid : _ambiguous ? Verdict.Either : Verdict.Valid;

    public string Why => string.Join("; ", _invalid);

    // The values the loss receives, in float64, as stored in their element types.
    private double[,] _input = new double[0, 0];
    private long[] _indices = [];
    private double[,]? _soft;
    private double[,]? _softGiven;
    private double[]? _sampleWeights;
    private double[]? _classWeights;

    /// <summary>Classes evenly spread over [0, 1], so that D ≤ 1 and every loss has a scale of about 1.</summary>
    public GroundDistance Distance => _distance ??= GroundDistance.FromPositions(Enumerable.Range(0, _c.Classes).Select(i => i / (_c.Classes - 1.0)).ToArray(), p: _c.Exponent);

    public XemdWeights XemdWeights => _xemdWeights ??= XemdWeights.FromDistance(Distance, _c.Root ? XemdPreset.Xemd2 : XemdPreset.Xemd1);

    private GroundDistance? _distance;
    private XemdWeights? _xemdWeights;

    public double[] Positions { get; private set; } = [];

    public static LossCaseBuilder Build(LossCase c)
    {
        var b = new LossCaseBuilder(c);
        b.MakeOptions();
        b.MakeInput();
        b.MakeTarget();
        b.SampleWeight = b.MakeWeights(c.SampleWeight, c.Rows, "sample_weight", out b._sampleWeights);
        b.ClassWeight = b.MakeWeights(c.ClassWeight, c.Classes, "weight", out b._classWeights);
        if (b.ClassWeight is not null && c.SoftTarget)
        {
            b._invalid.Add("class weights with target distributions");
        }
        if (c.Reduction == Reduction.Mean)
        {
            if (c.Rows == 0)
            {
                b._invalid.Add("mean of an empty batch");
            }
            else if (b.Verdict != Verdict.Invalid && (b._sampleWeights is not null || b._classWeights is not null) && !(b.Weights().Sum() > 0))
            {
                b._invalid.Add("weights summing to 0 under the mean");
            }
        }
        return b;
    }

    /// <summary>The call under test: the public functional form.</summary>
    public Tensor Call() => Call(Input, Target, SampleWeight, ClassWeight, LossBackend.Auto);

    public Tensor Call(Tensor input, Tensor target, Tensor? sampleWeight, Tensor? classWeight, LossBackend backend) => _c.Loss switch
    {
        "squared" when backend == LossBackend.Auto => earthmover.nn.functional.squared_emd_loss(input, target, _c.Exponent, _c.Root, Positions, _c.Normalization, InputKind, classWeight, sampleWeight, _c.Reduction),
        "squared" => SquaredEmd.Compute(input, target, _c.Exponent, _c.Root, Positions, _c.Normalization, InputKind, sampleWeight, _c.Reduction, backend, classWeight),
        "ground" when backend == LossBackend.Auto => earthmover.nn.functional.ground_emd_loss(input, target, Distance, InputKind, classWeight, sampleWeight, _c.Reduction),
        "ground" => GroundEmd.Compute(input, target, Distance, InputKind, sampleWeight, _c.Reduction, backend, classWeight),
        _ when backend == LossBackend.Auto => earthmover.nn.functional.xemd_loss(input, target, XemdWeights, null, InputKind, classWeight, sampleWeight, _c.Reduction),
        _ => Xemd.Compute(input, target, XemdWeights, InputKind, sampleWeight, _c.Reduction, backend, classWeight),
    };

    private EmdInput InputKind => _c.Probabilities ? EmdInput.Probabilities : EmdInput.Logits;

    private static bool IsFloating(ScalarType t) => t is ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64;

    /// <summary>How far this element type rounds, relative (used for tolerances).</summary>
    public static double Precision(ScalarType t) => t switch
    {
        ScalarType.Float64 => 1e-10,
        ScalarType.Float32 => 2e-4,
        ScalarType.Float16 => 1e-2,
        _ => 8e-2,
    };

    private void MakeOptions()
    {
        int classes = _c.Classes;
        Positions = new double[classes];
        for (int m = 1; m < classes; m++)
        {
            Positions[m] = Positions[m - 1] + (_c.Positions ? 0.1 + 1.9 * _random.NextDouble() : 1.0);
        }
    }

    private void MakeInput()
    {
        int rows = _c.Rows, classes = _c.Classes;
        var type = _c.InputType;
        var values = new double[rows, classes];
        for (int i = 0; i < rows; i++)
        {
            var z = new double[classes];
            for (int j = 0; j < classes; j++)
            {
                z[j] = Normal() * _c.LogitScale;
            }
            var row = _c.Probabilities ? Tensors.Softmax(z) : z;
            for (int j = 0; j < classes; j++)
            {
                values[i, j] = row[j];
            }
        }
        if (rows > 0)
        {
            int r = _random.Next(rows), j = _random.Next(classes);
            switch (_c.InputSpecial)
            {
                case "nan":
                    values[r, j] = double.NaN;
                    _invalid.Add("NaN in input");
                    break;
                case "inf":
                case "-inf":
                    values[r, j] = _c.InputSpecial == "inf" ? double.PositiveInfinity : double.NegativeInfinity;
                    _invalid.Add("infinity in input");
                    break;
                case "huge" when !_c.Probabilities && IsFloating(type):
                    // Two entries near the type's largest finite value (their sum overflows), one near its most negative.
                    double huge = 0.9 * Largest(type);
                    values[r, j] = huge;
                    values[r, (j + 1) % classes] = huge;
                    if (classes > 2)
                    {
                        values[r, (j + 2) % classes] = -huge;
                    }
                    break;
                case "negative" when _c.Probabilities:
                    values[r, j] = -0.25;
                    _invalid.Add("negative probability");
                    break;
            }
        }
        if (!IsFloating(type))
        {
            _invalid.Add($"{type} input");
        }

        var (leaf, view) = Lay(values, type, _c.InputLayout);
        if (_c.InputGrad && IsFloating(type))
        {
            leaf.requires_grad_();
            GradientLeaves.Add((leaf, view, "input"));
        }
        var input = view(leaf);
        _input = Stored(input);
        Input = _c.InputSpecial switch
        {
            "1-d" => input.reshape(-1),
            "3-d" => input.unsqueeze(0),
            _ => input,
        };
        if (_c.InputSpecial is "1-d" or "3-d")
        {
            _invalid.Add($"{_c.InputSpecial} input");
        }
        if (_c.Probabilities && IsFloating(type) && _c.InputSpecial is not ("nan" or "inf" or "-inf" or "negative"))
        {
            CheckDistributions(_input, "input");
        }
    }

    private void MakeTarget()
    {
        int rows = _c.Rows, classes = _c.Classes;
        var type = _c.TargetType;
        if (!_c.SoftTarget && _c.TargetSpecial != "2-d-integers")
        {
            long most = type switch
            {
                ScalarType.Int8 => 127,
                ScalarType.Byte => 255,
                ScalarType.Int16 => short.MaxValue,
                ScalarType.Bool => 1,
                _ => long.MaxValue,
            };
            int count = _c.TargetSpecial == "rows" ? rows + 1 : rows;
            var k = new long[count];
            for (int i = 0; i < count; i++)
            {
                k[i] = _random.Next((int)Math.Min(classes, most == long.MaxValue ? classes : most + 1));
            }
            if (_c.TargetSpecial == "rows")
            {
                _invalid.Add("target rows differ from input rows");
            }
            if (_c.TargetSpecial == "out-of-range" && count > 0 && type != ScalarType.Bool)
            {
                long bad = _random.Next(2) == 0 || type == ScalarType.Byte ? classes : -1;
                if (bad > most)
                {
                    bad = type == ScalarType.Byte ? -2 : -1; // Byte cannot hold it: no bad index, see below
                }
                if (bad >= -1)
                {
                    k[_random.Next(count)] = bad;
                    _invalid.Add("class index out of range");
                }
            }
            if (type is not (ScalarType.Int64 or ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte))
            {
                _invalid.Add($"{type} class indices");
            }
            _indices = k;
            var flat = torch.tensor(k, dtype: ScalarType.Int64);
            // Converted before the view is taken: a conversion of a strided view would be contiguous again.
            Target = _c.TargetLayout == Layout.Strided
                ? torch.stack([flat, torch.full_like(flat, 7)], 1).reshape(-1).to(type).slice(0, 0, 2L * count, 2)
                : flat.to(type);
            return;
        }

        if (_c.TargetSpecial == "2-d-integers")
        {
            type = ScalarType.Int64;
        }
        int targetRows = _c.TargetSpecial == "rows" ? rows + 1 : rows;
        var values = new double[targetRows, classes];
        for (int i = 0; i < targetRows; i++)
        {
            var t = Tensors.Softmax(Enumerable.Range(0, classes).Select(_ => Normal() * 2).ToArray());
            for (int j = 0; j < classes; j++)
            {
                values[i, j] = _c.TargetSpecial == "2-d-integers" ? (j == 0 ? 1 : 0) : t[j];
            }
        }
        if (targetRows > 0)
        {
            int r = _random.Next(targetRows), j = _random.Next(classes);
            switch (_c.TargetSpecial)
            {
                case "nan":
                    values[r, j] = double.NaN;
                    _invalid.Add("NaN in target");
                    break;
                case "not-distribution":
                    for (int m = 0; m < classes; m++)
                    {
                        values[r, m] *= 1.1;
                    }
                    _invalid.Add("target row summing to 1.1");
                    break;
                case "out-of-range":
                    values[r, j] = -0.01;
                    _invalid.Add("negative target entry");
                    break;
            }
        }
        if (_c.TargetSpecial == "rows")
        {
            _invalid.Add("target rows differ from input rows");
        }
        if (!IsFloating(type))
        {
            _invalid.Add($"{type} target distributions");
        }
        if (_c.Loss != "squared")
        {
            _invalid.Add($"target distributions for {_c.Loss}");
        }
        var (leaf, view) = Lay(values, type, _c.TargetLayout);
        if (_c.OtherGrad && IsFloating(type))
        {
            leaf.requires_grad_();
            GradientLeaves.Add((leaf, view, "target"));
        }
        Target = view(leaf);
        // Both implementations compute with the target in the input's element type.
        _softGiven = Stored(Target);
        _soft = IsFloating(type) && IsFloating(_c.InputType) ? Stored(Target.detach().to(_c.InputType)) : _softGiven;
        if (IsFloating(type) && _c.TargetSpecial is "none" or "rows")
        {
            // Checked as given (the fused kernel checks it in the input's type, float32 or float64: the same within rounding).
            CheckDistributions(_softGiven, "target");
        }
    }

    private Tensor? MakeWeights(string kind, int count, string name, out double[]? stored)
    {
        stored = null;
        if (kind == "none")
        {
            return null;
        }
        var type = _c.SampleWeightType;
        int length = kind == "length" ? count + 1 : count;
        var values = Enumerable.Range(0, length).Select(_ => 2 * _random.NextDouble()).ToArray();
        switch (kind)
        {
            case "zeros":
                Array.Clear(values);
                break;
            case "negative" when length > 0:
                values[_random.Next(length)] = -1;
                _invalid.Add($"negative {name}");
                break;
            case "nan" when length > 0:
                values[_random.Next(length)] = double.NaN;
                _invalid.Add($"NaN in {name}");
                break;
            case "length":
                _invalid.Add($"{name} of the wrong length");
                break;
        }
        if (!IsFloating(type))
        {
            _invalid.Add($"{type} {name}");
        }
        var leaf = torch.tensor(values, dtype: ScalarType.Float64).to(type);
        if (_c.OtherGrad && IsFloating(type))
        {
            leaf.requires_grad_();
            GradientLeaves.Add((leaf, t => t, name));
        }
        stored = Tensors.ToDoubles(leaf);
        return leaf;
    }

    private double[] Weights()
    {
        var v = new double[_c.Rows];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = (_sampleWeights?[i] ?? 1) * (_classWeights is null ? 1 : _classWeights[_indices[i]]);
        }
        return v;
    }

    /// <summary>The size of the terms a gradient is made of: one sample's largest loss, times its weight share.</summary>
    public double GradientScale()
    {
        double s = _c.Normalization == EmdNormalization.Paper ? 1.0 / _c.Classes : 1.0;
        double loss = _c.Loss == "squared" ? s * Positions[^1] * _c.Exponent : 1.0;
        if (_c.Loss == "squared" && _c.Root)
        {
            loss = Math.Max(1, Math.Pow(loss, 1 / _c.Exponent));
        }
        var v = Weights();
        double largest = v.DefaultIfEmpty(1).Max();
        return loss * largest / (_c.Reduction == Reduction.Mean && v.Sum() > 0 ? v.Sum() : 1);
    }

    /// <summary>
    /// Whether some sample lies within rounding of a point where the loss is not differentiable (|d_m| = 0 with
    /// l = 1, or L = 0 under the root): there each implementation returns a valid subgradient of its own rounded
    /// point (docs/math.md §2), and the gradients need not agree.
    /// </summary>
    public bool NearKink()
    {
        if (_c.Loss != "squared" || !(_c.Exponent == 1 || _c.Root))
        {
            return false;
        }
        double eps = _c.InputType switch
        {
            ScalarType.Float64 => 1e-13,
            ScalarType.Float32 => 1e-5,
            _ => 1e-1,
        };
        int classes = _c.Classes;
        for (int i = 0; i < _c.Rows; i++)
        {
            var row = Enumerable.Range(0, classes).Select(j => _input[i, j]).ToArray();
            var p = _c.Probabilities ? row : Tensors.Softmax(row);
            var t = _soft is null ? BruteForce.OneHot(_indices[i], classes) : Enumerable.Range(0, classes).Select(j => _soft[i, j]).ToArray();
            double cp = 0, ct = 0, largest = 0;
            for (int m = 0; m < classes - 1; m++)
            {
                cp += p[m];
                ct += t[m];
                double d = Math.Abs(cp - ct);
                if (_c.Exponent == 1 && d < eps)
                {
                    return true;
                }
                largest = Math.Max(largest, d);
            }
            if (_c.Root && largest < Math.Sqrt(eps))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The reference value, brute force in float64 from the definitions (docs/math.md §2–§4, §7).</summary>
    public double[] ReferenceValue(out double[] tolerance)
    {
        int rows = _c.Rows, classes = _c.Classes;
        var perSample = new double[rows];
        double s = _c.Normalization == EmdNormalization.Paper ? 1.0 / classes : 1.0;
        for (int i = 0; i < rows; i++)
        {
            var row = Enumerable.Range(0, classes).Select(j => _input[i, j]).ToArray();
            var p = _c.Probabilities ? row : Tensors.Softmax(row);
            var t = _soft is null ? BruteForce.OneHot(_indices[i], classes) : Enumerable.Range(0, classes).Select(j => _soft[i, j]).ToArray();
            perSample[i] = _c.Loss switch
            {
                "squared" => BruteForce.Ordinal(p, t, Positions, _c.Exponent, s, _c.Root),
                "ground" => Enumerable.Range(0, classes).Sum(j => p[j] * Distance[j, (int)_indices[i]]),
                _ => Enumerable.Range(0, classes).Sum(j => (p[j] - t[j]) * (p[j] - t[j]) * XemdWeights[(int)_indices[i], j]) / classes,
            };
        }
        var v = Weights();
        // The largest value one sample's loss can take: the scale of the rounding errors.
        double scale = _c.Loss == "squared" ? s * Positions[^1] : 1.0;
        double precision = Precision(_c.InputType);
        double Tolerance(double reference)
        {
            double onLoss = precision * scale;
            if (_c.Loss != "squared" || !_c.Root || _c.Exponent == 1)
            {
                return onLoss;
            }
            // Through the root: |a^(1/l) - b^(1/l)| ≤ |a - b|^(1/l), and ≈ |a - b| / (l R^(l-1)) away from 0.
            double l = _c.Exponent;
            return Math.Min(Math.Pow(onLoss, 1 / l), 10 * onLoss / (l * Math.Pow(reference, l - 1)));
        }
        switch (_c.Reduction)
        {
            case Reduction.None:
                tolerance = perSample.Select((value, i) => Tolerance(value) * v[i] + 1e-300).ToArray();
                return perSample.Select((value, i) => value * v[i]).ToArray();
            case Reduction.Sum:
                tolerance = [perSample.Select((value, i) => Tolerance(value) * v[i]).Sum() + 1e-300];
                return [perSample.Select((value, i) => value * v[i]).Sum()];
            default:
                double total = v.Sum();
                tolerance = [perSample.Select((value, i) => Tolerance(value) * v[i]).Sum() / total + 1e-300];
                return [perSample.Select((value, i) => value * v[i]).Sum() / total];
        }
    }

    /// <summary>The reference gradients of the reduced loss (summed for None) with respect to each leaf's view, by autograd through the tensor-operation form in float64.</summary>
    public List<double[]> ReferenceGradients()
    {
        var input = Matrix(_input).requires_grad_(GradientLeaves.Any(g => g.Name == "input"));
        // The target as given (its rounding to the input's type, which the value reference follows, may take it just
        // outside the distribution tolerance; the gradient does not depend on that rounding beyond the tolerance).
        var target = _softGiven is null ? torch.tensor(_indices, dtype: ScalarType.Int64) : Matrix(_softGiven).requires_grad_(GradientLeaves.Any(g => g.Name == "target"));
        var sampleWeight = _sampleWeights is null ? null : torch.tensor(_sampleWeights, dtype: ScalarType.Float64).requires_grad_(GradientLeaves.Any(g => g.Name == "sample_weight"));
        var classWeight = _classWeights is null ? null : torch.tensor(_classWeights, dtype: ScalarType.Float64).requires_grad_(GradientLeaves.Any(g => g.Name == "weight"));
        var loss = Call(input, target, sampleWeight, classWeight, LossBackend.TensorOps).sum();
        var byName = new Dictionary<string, Tensor> { ["input"] = input, ["target"] = target };
        if (sampleWeight is not null)
        {
            byName["sample_weight"] = sampleWeight;
        }
        if (classWeight is not null)
        {
            byName["weight"] = classWeight;
        }
        var grads = torch.autograd.grad([loss], GradientLeaves.Select(g => byName[g.Name]).ToList(), allow_unused: true);
        return grads.Select((g, i) => g is null ? new double[GradientLeaves[i].View(GradientLeaves[i].Leaf).numel()] : Tensors.ToDoubles(g)).ToList();
    }

    private static Tensor Matrix(double[,] values)
    {
        int rows = values.GetLength(0), columns = values.GetLength(1);
        var flat = new double[rows * columns];
        Buffer.BlockCopy(values, 0, flat, 0, flat.Length * sizeof(double));
        return torch.tensor(flat, [rows, columns], dtype: ScalarType.Float64);
    }

    private static double[,] Stored(Tensor t)
    {
        var flat = Tensors.ToDoubles(t.detach().to(ScalarType.Float64));
        int rows = (int)t.size(0), columns = t.dim() > 1 ? (int)t.size(1) : 1;
        var result = new double[rows, columns];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(double));
        return result;
    }

    // A leaf tensor holding the values in the given layout, and the view the loss receives.
    private static (Tensor Leaf, Func<Tensor, Tensor> View) Lay(double[,] values, ScalarType type, Layout layout)
    {
        int rows = values.GetLength(0), columns = values.GetLength(1);
        var matrix = Matrix(values);
        return layout switch
        {
            Layout.Transposed => (matrix.t().contiguous().to(type), leaf => leaf.t()),
            Layout.Strided => (torch.stack([matrix, torch.full_like(matrix, 7)], 2).reshape(rows, 2 * columns).to(type), leaf => leaf.slice(1, 0, 2L * columns, 2)),
            _ => (matrix.to(type), leaf => leaf),
        };
    }

    // Valid within the tolerance, invalid clearly outside it, either in between (the two implementations sum in
    // different precisions).
    private void CheckDistributions(double[,] rows, string name)
    {
        double worst = 0;
        for (int i = 0; i < rows.GetLength(0); i++)
        {
            double sum = 0;
            for (int j = 0; j < rows.GetLength(1); j++)
            {
                if (!(rows[i, j] >= 0) || double.IsInfinity(rows[i, j]))
                {
                    _invalid.Add($"{name} row {i} not a distribution");
                    return;
                }
                sum += rows[i, j];
            }
            worst = Math.Max(worst, Math.Abs(sum - 1));
        }
        if (worst > 2 * LossValidation.DistributionTolerance)
        {
            _invalid.Add($"{name} rows off 1 by {worst:E2}");
        }
        else if (worst > LossValidation.DistributionTolerance / 2)
        {
            _ambiguous = true;
        }
    }

    private static double Largest(ScalarType type) => type switch
    {
        ScalarType.Float16 => 65504,
        ScalarType.BFloat16 or ScalarType.Float32 => float.MaxValue,
        _ => double.MaxValue,
    };

    private double Normal() => Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
}
