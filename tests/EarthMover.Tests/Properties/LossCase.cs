using FsCheck;
using FsCheck.Fluent;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Tests.Properties;

/// <summary>How a tensor is laid out in memory.</summary>
public enum Layout
{
    /// <summary>Row-major and contiguous.</summary>
    Contiguous,

    /// <summary>The transpose of a contiguous tensor (a view).</summary>
    Transposed,

    /// <summary>Every other column (or entry) of a wider tensor (a view with stride 2).</summary>
    Strided,
}

/// <summary>
/// One call of a loss with everything a caller can vary: the loss and its options, the shapes, element types,
/// layouts and special values of input, target and weights, the reduction, and which tensors need gradients.
/// The tensors themselves are made from <see cref="Seed"/> by <see cref="LossCaseBuilder"/>; the record prints
/// the whole case when a property fails.
/// </summary>
public sealed record LossCase(
    string Loss,
    int Rows,
    int Classes,
    ScalarType InputType,
    bool Probabilities,
    Layout InputLayout,
    string InputSpecial,
    double LogitScale,
    bool SoftTarget,
    ScalarType TargetType,
    Layout TargetLayout,
    string TargetSpecial,
    double Exponent,
    bool Root,
    bool Positions,
    EmdNormalization Normalization,
    string SampleWeight,
    ScalarType SampleWeightType,
    string ClassWeight,
    Reduction Reduction,
    bool InputGrad,
    bool OtherGrad,
    int Seed)
{
    private static readonly ScalarType[] Floating = [ScalarType.Float16, ScalarType.BFloat16, ScalarType.Float32, ScalarType.Float64];

    /// <summary>Mostly valid calls, with every kind of invalid one often enough to be seen in a few hundred cases.</summary>
    public static Arbitrary<LossCase> Arbitrary()
    {
        var gen =
            from loss in Gen.Elements("squared", "ground", "xemd")
            from rows in Gen.Frequency((2, Gen.Constant(0)), (10, Gen.Choose(1, 9)), (5, Gen.Choose(10, 40)), (1, Gen.Choose(41, 70)))
            from classes in Gen.Frequency((6, Gen.Choose(2, 12)), (3, Gen.Choose(13, 80)), (2, Gen.Choose(81, 300)))
            from inputType in Gen.Frequency(
                (3, Gen.Constant(ScalarType.Float32)), (3, Gen.Constant(ScalarType.Float64)),
                (2, Gen.Constant(ScalarType.Float16)), (2, Gen.Constant(ScalarType.BFloat16)),
                (1, Gen.Elements(ScalarType.Int64, ScalarType.Int32, ScalarType.Bool)))
            from probabilities in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
            from inputLayout in Gen.Elements(Layout.Contiguous, Layout.Contiguous, Layout.Transposed, Layout.Strided)
            from inputSpecial in Gen.Frequency(
                (12, Gen.Constant("none")), (1, Gen.Constant("nan")), (1, Gen.Constant("inf")), (1, Gen.Constant("-inf")),
                (2, Gen.Constant("huge")), (1, Gen.Constant("negative")), (1, Gen.Constant("1-d")), (1, Gen.Constant("3-d")))
            from logitScale in Gen.Elements(1.0, 3.0, 30.0, 1000.0)
            from softTarget in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
            from targetType in softTarget
                ? Gen.Frequency((6, Gen.Elements(Floating)), (1, Gen.Constant(ScalarType.Int64)))
                : Gen.Frequency(
                    (4, Gen.Constant(ScalarType.Int64)),
                    (4, Gen.Elements(ScalarType.Int32, ScalarType.Int16, ScalarType.Int8, ScalarType.Byte)),
                    (1, Gen.Elements(ScalarType.Bool, ScalarType.Float32, ScalarType.Float64)))
            from targetLayout in Gen.Elements(Layout.Contiguous, Layout.Contiguous, Layout.Transposed, Layout.Strided)
            from targetSpecial in Gen.Frequency(
                (12, Gen.Constant("none")), (2, Gen.Constant("out-of-range")), (1, Gen.Constant("rows")),
                (1, Gen.Constant("nan")), (1, Gen.Constant("not-distribution")), (1, Gen.Constant("2-d-integers")))
            from exponent in Gen.Elements(2.0, 2.0, 1.0, 1.5, 3.0)
            from root in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
            from positions in Gen.Elements(false, true)
            from normalization in Gen.Elements(EmdNormalization.Paper, EmdNormalization.None)
            from sampleWeight in Weights()
            from sampleWeightType in Gen.Frequency((4, Gen.Elements(Floating)), (1, Gen.Constant(ScalarType.Int64)))
            from classWeight in Weights()
            from reduction in Gen.Elements(Reduction.Mean, Reduction.Sum, Reduction.None)
            from inputGrad in Gen.Elements(false, true, true)
            from otherGrad in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
            from seed in Gen.Choose(0, int.MaxValue)
            from clean in Gen.Elements(true, false)
            let any = new LossCase(loss, rows, classes, inputType, probabilities, inputLayout, inputSpecial, logitScale, softTarget, targetType,
                targetLayout, targetSpecial, exponent, root, positions, normalization, sampleWeight, sampleWeightType, classWeight, reduction,
                inputGrad, otherGrad, seed)
            select clean ? any.Valid() : any;
        return gen.ToArbitrary();
    }

    /// <summary>
    /// The same case with every source of invalidity removed (half of the generated cases), so that valid calls,
    /// which must return the reference, are as common as invalid ones, which must throw.
    /// </summary>
    private LossCase Valid()
    {
        bool soft = SoftTarget && Loss == "squared";
        return this with
        {
            InputType = Floating.Contains(InputType) ? InputType : ScalarType.Float32,
            InputSpecial = InputSpecial is "huge" ? InputSpecial : "none",
            SoftTarget = soft,
            TargetType = soft ? (Floating.Contains(TargetType) ? TargetType : ScalarType.Float64)
                : TargetType is ScalarType.Bool or ScalarType.Float32 or ScalarType.Float64 ? ScalarType.Int64 : TargetType,
            TargetSpecial = "none",
            SampleWeight = SampleWeight == "valid" ? "valid" : "none",
            SampleWeightType = Floating.Contains(SampleWeightType) ? SampleWeightType : ScalarType.Float32,
            ClassWeight = ClassWeight == "valid" && !soft ? "valid" : "none",
            Reduction = Rows == 0 && Reduction == Reduction.Mean ? Reduction.Sum : Reduction,
        };
    }

    private static Gen<string> Weights() => Gen.Frequency(
        (10, Gen.Constant("none")), (6, Gen.Constant("valid")), (1, Gen.Constant("zeros")), (1, Gen.Constant("negative")),
        (1, Gen.Constant("nan")), (1, Gen.Constant("length")));
}
