namespace EarthMover.Training.Data;

/// <summary>
/// What encoding new rows met that training did not: category levels it never saw (encoded as no level) and
/// missing values it filled in; reported as one warning line each.
/// </summary>
internal sealed class EncodingStats
{
    private const int Examples = 3;

    private readonly Dictionary<string, (long Count, List<string> Examples)> _unseen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _imputed = new(StringComparer.Ordinal);

    /// <summary>Rows with at least one unseen level.</summary>
    public long UnseenRows { get; private set; }

    public void Unseen(string column, string value)
    {
        var (count, examples) = _unseen.TryGetValue(column, out var entry) ? entry : (0, new List<string>());
        if (examples.Count < Examples && !examples.Contains(value))
        {
            examples.Add(value);
        }
        _unseen[column] = (count + 1, examples);
    }

    public void UnseenRow() => UnseenRows++;

    public void Imputed(string column) => _imputed[column] = _imputed.GetValueOrDefault(column) + 1;

    /// <summary>The warnings, one line each (none when nothing happened).</summary>
    public IEnumerable<string> Warnings()
    {
        if (UnseenRows > 0)
        {
            var columns = _unseen.Select(p => $"'{p.Key}' {Plural.Of(p.Value.Count, "value")} (e.g. {string.Join(", ", p.Value.Examples.Select(e => $"'{e}'"))})");
            yield return $"{Plural.Of(UnseenRows, "row")} with category levels not seen in training, encoded as no level: {string.Join("; ", columns)}";
        }
        if (_imputed.Count > 0)
        {
            var columns = _imputed.Select(p => $"'{p.Key}' {p.Value:N0}");
            yield return $"missing values filled in (numbers: training mean; categories: '{FeatureEncoder.MissingLevel}' or no level): {string.Join(", ", columns)}";
        }
    }
}
