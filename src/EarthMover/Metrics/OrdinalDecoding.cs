namespace EarthMover;

/// <summary>Turns predicted distributions into classes with an <see cref="OrdinalDecoder"/>.</summary>
public static class OrdinalDecoding
{
    /// <summary>The decoded class of one distribution.</summary>
    /// <param name="probabilities">p over C ordered classes (summing to 1).</param>
    /// <param name="decoder">The rule.</param>
    public static int Decode(ReadOnlySpan<double> probabilities, OrdinalDecoder decoder)
    {
        if (probabilities.IsEmpty)
        {
            throw new ArgumentException("there must be at least one class.", nameof(probabilities));
        }
        switch (decoder)
        {
            case OrdinalDecoder.Argmax:
                int best = 0;
                for (int k = 1; k < probabilities.Length; k++)
                {
                    if (probabilities[k] > probabilities[best])
                    {
                        best = k;
                    }
                }
                return best;
            case OrdinalDecoder.Median:
                double cumulative = 0;
                for (int k = 0; k < probabilities.Length; k++)
                {
                    cumulative += probabilities[k];
                    if (cumulative >= 0.5)
                    {
                        return k;
                    }
                }
                return probabilities.Length - 1;
            case OrdinalDecoder.Expectation:
                double mean = 0;
                for (int k = 0; k < probabilities.Length; k++)
                {
                    mean += k * probabilities[k];
                }
                return (int)Math.Clamp(Math.Round(mean, MidpointRounding.AwayFromZero), 0, probabilities.Length - 1);
            default:
                throw new ArgumentException($"{nameof(decoder)} = {decoder} is not an OrdinalDecoder value.", nameof(decoder));
        }
    }
}
