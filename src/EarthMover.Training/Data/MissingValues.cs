using System.Text.Json.Serialization;

namespace EarthMover.Training.Data;

/// <summary>What to do with rows that have missing feature values (NA or empty cells).</summary>
public enum MissingValues
{
    /// <summary>Leave such rows out (the count is reported).</summary>
    [JsonStringEnumMemberName("drop")]
    Drop,

    /// <summary>Keep them: a numeric cell takes the training mean, a categorical one the category "(missing)".</summary>
    [JsonStringEnumMemberName("impute")]
    Impute,
}
