using EarthMover.Tests.Support;

namespace EarthMover.Tests.Statistics;

/// <summary>The values reference/meta.py computed with statsmodels and SciPy.</summary>
internal sealed record MetaFile(
    SpecialCases Special,
    NormalCases Normal,
    StudentCases Student,
    List<ChiSquaredCase> Chi2,
    List<NoncentralTCase> Nct,
    List<MetaCase> Meta,
    List<TPowerCase> T_Power,
    List<MdeCase> Mde,
    List<NobsCase> Nobs,
    List<PooledMdeCase> Pooled,
    List<HolmCase> Bh)
{
    private static readonly Lazy<MetaFile> Cached = new(() => ReferenceData.Load<MetaFile>("meta.json"));

    public static MetaFile Load() => Cached.Value;
}

internal sealed record SpecialCases(List<XValue> Gammaln, List<BetaCase> Betainc, List<GammaCase> Gammaincc, List<XValue> Erfc);

internal sealed record XValue(double X, double Value);

internal sealed record BetaCase(double X, double A, double B, double Value);

internal sealed record GammaCase(double A, double X, double Value);

internal sealed record NormalCases(List<XValue> Cdf, List<PValue> Ppf);

internal sealed record PValue(double P, double Value);

internal sealed record StudentCases(List<StudentCdfCase> Cdf, List<StudentPpfCase> Ppf);

internal sealed record StudentCdfCase(double T, double Df, double Value);

internal sealed record StudentPpfCase(double P, double Df, double Value, double Exact);

internal sealed record ChiSquaredCase(double X, double Df, double Value);

internal sealed record NoncentralTCase(double T, double Df, double Nc, double Value);

internal sealed record MetaCase(string Name, double[] Y, double[] Se, double Confidence, Dictionary<string, MetaMethodCase> Methods);

internal sealed record MetaMethodCase(
    double Tau2,
    bool Pm_Restarted,
    bool Dl_Truncated,
    double Tau2_Statsmodels_Raw,
    double Estimate,
    double Fixed_Estimate,
    double Fixed_Se,
    double Q,
    double Q_P,
    double I2,
    double Hksj_Scale,
    double[] Weights,
    MetaIntervalCase Wald,
    MetaIntervalCase Hksj,
    MetaIntervalCase Hksj_Modified);

internal sealed record MetaIntervalCase(double Se, double[] Ci, double? P, double[]? Prediction);

internal sealed record TPowerCase(double D, double N, double Alpha, double Power);

internal sealed record MdeCase(double N, double Alpha, double Power, double D, double D_Refined);

internal sealed record NobsCase(double D, double Alpha, double Power, double N, double N_Refined);

internal sealed record PooledMdeCase(int K, double Se, double Alpha, double Power, double Mde);
