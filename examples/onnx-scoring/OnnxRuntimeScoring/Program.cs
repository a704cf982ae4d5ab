// Scores a CSV file with an ONNX model written by `earthmover export RUN --onnx model.onnx`, with ONNX Runtime
// alone. The model takes the feature columns by name and does its own preprocessing (standardisation, one-hot
// encoding, imputation), so this program only hands each column over: numbers as double (NaN when the cell is
// empty or NA), categories as text. Columns may come in any order; columns the model does not read are ignored.
//
//   dotnet run -c Release -- model.onnx data.csv [predictions.csv]
//
// Writes one line per data row: the row number, the predicted class and its probability per class.
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.VisualBasic.FileIO;

if (args.Length is < 2 or > 3)
{
    Console.Error.WriteLine("usage: OnnxRuntimeScoring MODEL.onnx DATA.csv [OUTPUT.csv]");
    return 2;
}
try
{
    using var session = new InferenceSession(args[0]);
    var classes = JsonSerializer.Deserialize<string[]>(session.ModelMetadata.CustomMetadataMap["earthmover.classes"])!;
    var (header, rows) = ReadCsv(args[1]);

    var missing = session.InputMetadata.Keys.Where(name => !header.Contains(name)).ToArray();
    if (missing.Length > 0)
    {
        throw new InvalidDataException($"{args[1]} lacks the columns the model reads: {string.Join(", ", missing)}.");
    }

    var output = new StringBuilder();
    output.AppendLine(string.Join(",", ["row", "predicted", .. classes.Select(c => $"p_{c}")]));
    const int Batch = 1024;
    for (int start = 0; start < rows.Count; start += Batch)
    {
        var batch = rows.Skip(start).Take(Batch).ToList();
        var inputs = session.InputMetadata.Select(input => Column(input.Key, input.Value.ElementType, Array.IndexOf(header, input.Key), batch, start)).ToList();
        using var results = session.Run(inputs);
        var probabilities = results.Single(r => r.Name == "probabilities").AsTensor<float>();
        var labels = results.Single(r => r.Name == "predicted_label").AsTensor<string>();
        for (int i = 0; i < batch.Count; i++)
        {
            var p = Enumerable.Range(0, classes.Length).Select(k => probabilities[i, k].ToString("R", CultureInfo.InvariantCulture));
            output.AppendLine(string.Join(",", [(start + i + 1).ToString(CultureInfo.InvariantCulture), labels[i], .. p]));
        }
    }
    if (args.Length == 3)
    {
        File.WriteAllText(args[2], output.ToString());
        Console.WriteLine($"{rows.Count} rows scored: {args[2]}");
    }
    else
    {
        Console.Write(output);
    }
    return 0;
}
catch (Exception e) when (e is InvalidDataException or IOException or OnnxRuntimeException or MalformedLineException or KeyNotFoundException)
{
    Console.Error.WriteLine($"OnnxRuntimeScoring: {e.Message.Split('\n')[0]}");
    return 2;
}

// One model input from the CSV column of the same name: N x 1, double (NaN for a missing cell) or text.
static NamedOnnxValue Column(string name, Type type, int column, List<string[]> rows, int start)
{
    if (type == typeof(string))
    {
        return NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>(rows.Select(r => r[column]).ToArray(), [rows.Count, 1]));
    }
    var values = new double[rows.Count];
    for (int i = 0; i < rows.Count; i++)
    {
        string cell = rows[i][column];
        values[i] = cell is "" or "NA" ? double.NaN
            : double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value
            : throw new InvalidDataException($"data row {start + i + 1}: '{cell}' in column '{name}' is not a number.");
    }
    return NamedOnnxValue.CreateFromTensor(name, new DenseTensor<double>(values, [rows.Count, 1]));
}

// A comma-separated file with a header; quoted cells, white space trimmed as earthmover reads them.
static (string[] Header, List<string[]> Rows) ReadCsv(string path)
{
    using var parser = new TextFieldParser(path) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = true };
    parser.SetDelimiters(",");
    var header = parser.ReadFields() ?? throw new InvalidDataException($"{path} is empty.");
    var rows = new List<string[]>();
    while (parser.ReadFields() is { } fields)
    {
        if (fields.Length != header.Length)
        {
            throw new InvalidDataException($"{path}, line {parser.LineNumber - 1}: {fields.Length} fields where the header has {header.Length}.");
        }
        rows.Add(fields);
    }
    return (header, rows);
}
