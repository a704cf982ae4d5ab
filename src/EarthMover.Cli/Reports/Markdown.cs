namespace EarthMover.Cli.Reports;

/// <summary>Markdown helpers for report.md and compare.md.</summary>
internal static class Markdown
{
    /// <summary>Text for a table cell: a '|' would end the cell (e.g. the loss "gd-emd (D=|xi-xj|^1)"), a line break the row.</summary>
    public static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    /// <summary>A table row from its cells, each escaped.</summary>
    public static string Row(IEnumerable<string> cells) => "| " + string.Join(" | ", cells.Select(Cell)) + " |";
}
