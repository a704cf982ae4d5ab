namespace EarthMover.Cli.Statistics;

/// <summary>One comparison of a family, with its Holm-adjusted p-value and whether it survives.</summary>
/// <typeparam name="TKey">What identifies the comparison (e.g. dataset, loss, metric).</typeparam>
internal sealed record FamilyMember<TKey>(TKey Key, PairedComparison Comparison, double AdjustedP, bool Survives);

/// <summary>
/// A family of paired comparisons (every loss against the baseline on every metric and dataset), corrected
/// together with <see cref="Holm"/> on the exact Wilcoxon p-values, so that the chance of any false claim in the
/// whole family stays at most alpha.
/// </summary>
internal static class PairedFamily
{
    /// <summary>Corrects the family's Wilcoxon p-values with Holm's method and marks the survivors at <paramref name="alpha"/>.</summary>
    /// <exception cref="ArgumentException">An empty family, or alpha outside (0, 1).</exception>
    public static IReadOnlyList<FamilyMember<TKey>> Correct<TKey>(IReadOnlyList<(TKey Key, PairedComparison Comparison)> members, double alpha = 0.05)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0)
        {
            throw new ArgumentException("An empty family: give at least one comparison.", nameof(members));
        }
        var p = members.Select(m => m.Comparison.Wilcoxon.PValue).ToArray();
        var adjusted = Holm.Adjust(p);
        var survives = Holm.Survives(p, alpha);
        return members.Select((m, i) => new FamilyMember<TKey>(m.Key, m.Comparison, adjusted[i], survives[i])).ToArray();
    }

    /// <summary>
    /// The fewest rounds (seeds) with which any comparison of a family of <paramref name="familySize"/> can survive:
    /// the exact two-sided tests cannot go below 2 / 2^n, and Holm's first threshold is alpha / m.
    /// </summary>
    /// <exception cref="ArgumentException">A family size below 1, or alpha outside (0, 1).</exception>
    public static int MinimumRounds(int familySize, double alpha = 0.05)
    {
        if (familySize < 1)
        {
            throw new ArgumentException($"A family has at least one comparison, not {familySize}.", nameof(familySize));
        }
        if (!(alpha > 0 && alpha < 1))
        {
            throw new ArgumentException($"alpha must lie in (0, 1), not {alpha}.", nameof(alpha));
        }
        int n = 1;
        while (WilcoxonSignedRank.SmallestPValue(n) > alpha / familySize)
        {
            n++;
        }
        return n;
    }
}
