namespace EarthMover.Training.Data;

/// <summary>
/// What a run knows about its data, saved with the model (and as schema.json in the run folder): the files
/// and their hash, the CSV dialect, the target and its classes, and every feature column by name with its
/// kind, standardisation or levels and the missing-value policy. evaluate --data and predict match new files
/// to it by column name.
/// </summary>
/// <param name="Files">The data files (null for the embedded diamonds).</param>
/// <param name="Dialect">The CSV dialect (null for images).</param>
/// <param name="Target">The target column and how its values became classes.</param>
/// <param name="Features">The feature columns and their encoding.</param>
/// <param name="Ignored">Columns --ignore left out.</param>
internal sealed record DataSchema(DataFiles? Files, CsvDialect? Dialect, TargetSchema Target, FeatureEncoder Features, IReadOnlyList<string> Ignored);
