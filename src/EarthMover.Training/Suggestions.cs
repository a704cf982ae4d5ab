namespace EarthMover.Training;

/// <summary>"Did you mean ...?": the nearest of the known names to a mistyped one, by edit distance.</summary>
internal static class Suggestions
{
    /// <summary>
    /// The nearest candidate, if it is close enough to be a typo (at most a third of the word's letters differ,
    /// and at least 1), or the one candidate that the word begins (--loss for --losses).
    /// </summary>
    public static string? Nearest(string typed, IEnumerable<string> candidates)
    {
        string word = typed.ToUpperInvariant();
        var names = candidates.ToArray();
        var longer = names.Where(c => c.Length > typed.Length && c.StartsWith(typed, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (longer.Length == 1)
        {
            return longer[0];
        }
        var best = names
            .Select(c => (Name: c, Distance: Distance(word, c.ToUpperInvariant())))
            .OrderBy(p => p.Distance)
            .FirstOrDefault();
        int allowed = Math.Max(1, word.TrimStart('-').Length / 3);
        return best.Name is not null && best.Distance <= allowed ? best.Name : null;
    }

    /// <summary>The edit distance (insertions, deletions, substitutions and swaps of two neighbouring letters, 1 each).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
