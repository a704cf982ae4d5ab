namespace EarthMover.Cli.Statistics;

/// <summary>How zero differences enter the Wilcoxon signed-rank test; the names and meanings of SciPy's <c>zero_method</c>.</summary>
internal enum ZeroMethod
{
    /// <summary>Wilcoxon's: drop the zeros, then rank the rest (SciPy's default).</summary>
    Wilcox,

    /// <summary>Pratt's: rank with the zeros, then drop the zeros' ranks from the statistic.</summary>
    Pratt,

    /// <summary>Rank with the zeros and split their ranks equally between the positive and the negative sum.</summary>
    Zsplit,
}
