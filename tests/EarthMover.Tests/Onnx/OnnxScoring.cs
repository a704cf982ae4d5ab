using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EarthMover.Tests.Onnx;

/// <summary>
/// Scores rows with ONNX Runtime alone, as a user of an exported model would: each model input is found in the
/// rows by its name (numeric inputs parsed, "" and NA as NaN; categorical ones as text), whatever the column order.
/// </summary>
internal static class OnnxScoring
{
    public sealed record Scores(float[] Probabilities, long[] Index, string[] Label, int Classes);

    /// <summary>Table rows given as a header and cells.</summary>
    public static Scores Rows(byte[] model, string[] header, IReadOnlyList<string[]> rows)
    {
        using var session = new InferenceSession(model);
        int n = rows.Count;
        var inputs = new List<NamedOnnxValue>();
        foreach (var (name, meta) in session.InputMetadata)
        {
            int column = Array.IndexOf(header, name);
            Assert.True(column >= 0, $"the rows lack the model's input '{name}'");
            Assert.Equal([-1, 1], meta.Dimensions);
            if (meta.ElementType == typeof(double))
            {
                var values = rows.Select(r => r[column] is "" or "NA" ? double.NaN : double.Parse(r[column], CultureInfo.InvariantCulture)).ToArray();
                inputs.Add(NamedOnnxValue.CreateFromTensor(name, new DenseTensor<double>(values, [n, 1])));
            }
            else
            {
                Assert.Equal(typeof(string), meta.ElementType);
                inputs.Add(NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>(rows.Select(r => r[column]).ToArray(), [n, 1])));
            }
        }
        return Run(session, inputs);
    }

    /// <summary>28 x 28 images, 784 bytes each.</summary>
    public static Scores Images(byte[] model, IReadOnlyList<byte[]> images)
    {
        using var session = new InferenceSession(model);
        var pixels = new DenseTensor<byte>(images.SelectMany(i => i).ToArray(), [images.Count, 28 * 28]);
        return Run(session, [NamedOnnxValue.CreateFromTensor("pixels", pixels)]);
    }

    private static Scores Run(InferenceSession session, List<NamedOnnxValue> inputs)
    {
        using var results = session.Run(inputs);
        var byName = results.ToDictionary(r => r.Name);
        var p = byName["probabilities"].AsTensor<float>();
        return new Scores(p.ToArray(), byName["predicted_index"].AsTensor<long>().ToArray(), byName["predicted_label"].AsTensor<string>().ToArray(), p.Dimensions[1]);
    }
}
