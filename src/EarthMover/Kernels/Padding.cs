namespace EarthMover.Kernels;

/// <summary>Rows are processed in whole vectors; this rounds a row length up to them.</summary>
internal static class Padding
{
    public static int Length(int classes, int lanes) => (classes + lanes - 1) / lanes * lanes;
}
