using System.Globalization;
using EarthMover.Training.Data;
using Onnx;

namespace EarthMover.Training.Onnx;

/// <summary>
/// The graph's inputs and the <see cref="FeatureEncoder"/> as ONNX nodes, so that an exported model takes the
/// raw columns by name: one input per feature column, N x 1, named as the column (double for a numeric column,
/// NaN when missing; string for a categorical one, "" or "NA" when missing), or for image runs one uint8 input
/// of N x 784 pixels. The nodes compute what <see cref="FeatureEncoder.Encode"/> computes: (x - mean) / sd in
/// double, then float, 0 for a missing number; a one-hot block per categorical column, all zero for a level
/// training never saw, the "(missing)" level for a missing value when training had one; a level index
/// (1..levels, 0 unseen) for an embedded column; pixels / 255.
/// </summary>
internal static class OnnxPreprocessing
{
    /// <summary>The cells that read as missing, as the CSV reader reads them.</summary>
    public static readonly string[] MissingCells = ["", "NA"];

    /// <summary>Declares the inputs and encodes them.</summary>
    public static OnnxModelInput Build(OnnxGraph graph, FeatureEncoder encoder)
    {
        if (encoder.Image)
        {
            string pixels = graph.Input(OnnxExport.PixelsInput, TensorProto.Types.DataType.Uint8, [28 * 28],
                "28 x 28 grey images, row by row, 0 = black (as in IDX files)");
            var scaled = graph.Node("Div", [graph.Node("Cast", [pixels], [OnnxGraph.Int("to", (long)TensorProto.Types.DataType.Float)]), graph.Constant([255f])]);
            return new OnnxModelInput(scaled, []);
        }

        // Every input first (so that no name the graph makes can take a column's name), in the training file's order.
        var inputs = encoder.Columns.Select(column => column.Kind == FeatureKind.Numeric
            ? graph.Input(column.Name, TensorProto.Types.DataType.Double, [1],
                string.Create(CultureInfo.InvariantCulture, $"numeric: standardised with mean {column.Mean} and sd {column.Scale} of training; NaN for a missing value (the training mean)"))
            : graph.Input(column.Name, TensorProto.Types.DataType.String, [1],
                string.Create(CultureInfo.InvariantCulture, $"categorical, {column.Levels!.Length} levels of training; \"\" or \"NA\" for a missing value; a level training never saw encodes as no level")))
            .ToArray();

        var dense = new List<string>();
        var embedded = new List<string>();
        var columns = encoder.Columns;
        for (int i = 0; i < columns.Length; i++)
        {
            if (columns[i].Kind == FeatureKind.Numeric)
            {
                dense.Add(Standardised(graph, inputs[i], columns[i]));
            }
        }
        for (int i = 0; i < columns.Length; i++)
        {
            if (columns[i] is { Kind: FeatureKind.Categorical, Encoding: CategoryEncoding.OneHot })
            {
                dense.Add(OneHot(graph, Level(graph, inputs[i], columns[i]), columns[i].Levels!.Length));
            }
        }
        for (int i = 0; i < columns.Length; i++)
        {
            if (columns[i] is { Kind: FeatureKind.Categorical, Encoding: CategoryEncoding.Embedding })
            {
                // Index 0 is the level training never saw: the level's index + 1, as a vector of N.
                var index = graph.Node("Add", [Level(graph, inputs[i], columns[i]), graph.Constant([1L])]);
                embedded.Add(graph.Node("Squeeze", [index, graph.Constant([1L], 1)]));
            }
        }
        string? denseInput = dense.Count switch
        {
            0 => null,
            1 => dense[0],
            _ => graph.Node("Concat", [.. dense], [OnnxGraph.Int("axis", 1)]),
        };
        return new OnnxModelInput(denseInput, embedded);
    }

    // (x - mean) / sd in double as the encoder computes it, then float; NaN (missing) becomes 0, the training mean.
    private static string Standardised(OnnxGraph graph, string input, FeatureColumn column)
    {
        var centred = graph.Node("Sub", [input, graph.Constant([column.Mean!.Value])]);
        var scaled = graph.Node("Div", [centred, graph.Constant([column.Scale!.Value])]);
        var single = graph.Node("Cast", [scaled], [OnnxGraph.Int("to", (long)TensorProto.Types.DataType.Float)]);
        var missing = graph.Node("IsNaN", [input]);
        return graph.Node("Where", [missing, graph.Constant([0f]), single]);
    }

    // The level index of each cell, N x 1 int64: -1 for a level training never saw; a missing cell takes the
    // "(missing)" level when training had it.
    private static string Level(OnnxGraph graph, string input, FeatureColumn column)
    {
        var levels = column.Levels!;
        int missing = column.LevelOf(FeatureEncoder.MissingLevel);
        var keys = levels.Concat(MissingCells.Where(m => column.LevelOf(m) < 0)).ToArray();
        var values = Enumerable.Range(0, levels.Length).Select(i => (long)i).Concat(MissingCells.Where(m => column.LevelOf(m) < 0).Select(_ => (long)missing)).ToArray();
        return graph.Node("LabelEncoder", [input],
            [OnnxGraph.Strings("keys_strings", keys), OnnxGraph.Ints("values_int64s", values), OnnxGraph.Int("default_int64", -1)],
            OnnxGraph.MlDomain);
    }

    // N x levels floats: 1 where the index is the level, all zero for -1.
    private static string OneHot(OnnxGraph graph, string index, int levels)
    {
        var range = graph.Constant(Enumerable.Range(0, levels).Select(i => (long)i).ToArray(), 1, levels);
        var equal = graph.Node("Equal", [index, range]);
        return graph.Node("Cast", [equal], [OnnxGraph.Int("to", (long)TensorProto.Types.DataType.Float)]);
    }
}
