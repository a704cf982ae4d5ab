// Applies an ONNX model written by `earthmover export RUN --onnx model.onnx` in an ML.NET pipeline: a TextLoader
// reads the CSV columns the model takes (found by name in the header: numbers as double, categories as text) and
// ApplyOnnxModel runs the model, preprocessing included, on each row.
//
//   dotnet run -c Release -- model.onnx data.csv
//
// Prints one line per data row: the row number, the predicted class and its probability per class.
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.VisualBasic.FileIO;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: MlNetScoring MODEL.onnx DATA.csv");
    return 2;
}
string modelPath = args[0], dataPath = args[1];

// The model's inputs and class names, read from the model file.
string[] classes;
List<(string Name, bool Numeric)> inputs;
using (var session = new InferenceSession(modelPath))
{
    classes = JsonSerializer.Deserialize<string[]>(session.ModelMetadata.CustomMetadataMap["earthmover.classes"])!;
    inputs = session.InputMetadata.Select(i => (i.Key, i.Value.ElementType == typeof(double))).ToList();
}
string[] header;
using (var parser = new TextFieldParser(dataPath) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = true })
{
    parser.SetDelimiters(",");
    header = parser.ReadFields() ?? [];
}
var absent = inputs.Where(i => !header.Contains(i.Name)).Select(i => i.Name).ToArray();
if (absent.Length > 0)
{
    Console.Error.WriteLine($"MlNetScoring: {dataPath} lacks the columns the model reads: {string.Join(", ", absent)}.");
    return 2;
}

var ml = new MLContext();
var loader = ml.Data.CreateTextLoader(new TextLoader.Options
{
    HasHeader = true,
    Separators = [','],
    AllowQuoting = true,
    TrimWhitespace = true,
    MissingRealsAsNaNs = true,
    Columns = inputs.Select(i => new TextLoader.Column(i.Name, i.Numeric ? DataKind.Double : DataKind.String, Array.IndexOf(header, i.Name))).ToArray(),
});
var data = loader.Load(dataPath);

// Every input is one value per row (N x 1 with N = 1); the outputs are the distribution and the class name.
int[] oneValue = [1, 1];
var shapes = inputs.ToDictionary(i => i.Name, _ => oneValue);
var pipeline = ml.Transforms.ApplyOnnxModel(
    outputColumnNames: ["probabilities", "predicted_label"],
    inputColumnNames: inputs.Select(i => i.Name).ToArray(),
    modelFile: modelPath,
    shapeDictionary: shapes,
    gpuDeviceId: null,
    fallbackToCpu: false,
    recursionLimit: 100);
var scored = pipeline.Fit(data).Transform(data);

Console.WriteLine(string.Join(",", ["row", "predicted", .. classes.Select(c => $"p_{c}")]));
int row = 0;
using var cursor = scored.GetRowCursor(scored.Schema.Where(c => c.Name is "probabilities" or "predicted_label"));
var probabilities = cursor.GetGetter<VBuffer<float>>(scored.Schema["probabilities"]);
var label = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(scored.Schema["predicted_label"]);
VBuffer<float> p = default;
VBuffer<ReadOnlyMemory<char>> name = default;
while (cursor.MoveNext())
{
    probabilities(ref p);
    label(ref name);
    var values = p.DenseValues().Select(v => v.ToString("R", CultureInfo.InvariantCulture));
    Console.WriteLine(string.Join(",", [(++row).ToString(CultureInfo.InvariantCulture), name.GetValues()[0].ToString(), .. values]));
}
return 0;
