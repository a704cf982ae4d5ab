namespace EarthMover.Tests.Statistics;

/// <summary>Asserts |expected − actual| ≤ absolute + relative · |expected|, with the case in the message.</summary>
internal static class Close
{
    public static void Assert(double expected, double actual, double relative, double absolute = 0, string what = "")
    {
        double allowed = absolute + relative * Math.Abs(expected);
        Xunit.Assert.True(Math.Abs(expected - actual) <= allowed, $"{what}: expected {expected:R}, got {actual:R} (difference {Math.Abs(expected - actual):E3}, allowed {allowed:E3})");
    }
}
