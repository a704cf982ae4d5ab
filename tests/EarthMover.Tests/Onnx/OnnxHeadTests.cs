using EarthMover.Training;
using EarthMover.Training.Onnx;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;
using Thresholds = EarthMover.earthmover.ordinal;

namespace EarthMover.Tests.Onnx;

/// <summary>
/// The ONNX heads of the threshold and code models alone, on outputs no trained model would give (thresholds out of
/// order, large and tiny logits): ONNX Runtime's distribution equals the library's <c>earthmover.ordinal.*_probabilities</c>
/// within 1e-5, and its class the method's own rule (<c>threshold_predict</c>, <c>corn_predict</c>, <c>ecoc_predict</c>).
/// </summary>
public class OnnxHeadTests
{
    [Theory]
    [InlineData("coral", 2)]
    [InlineData("coral", 6)]
    [InlineData("logistic-at", 5)]
    [InlineData("corn", 2)]
    [InlineData("corn", 7)]
    [InlineData("ecoc", 3)]
    [InlineData("ecoc", 6)]
    public void The_head_gives_the_library_s_distribution_and_class(string loss, int classes)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(classes * 31 + loss.Length);
        var z = torch.randn(64, classes - 1) * 4;
        z[0] = torch.full(classes - 1, 30f);
        z[1] = torch.full(classes - 1, -30f);
        var (p, c) = loss switch
        {
            "coral" => (Thresholds.coral_probabilities(z), Thresholds.threshold_predict(z)),
            "logistic-at" => (Thresholds.logistic_at_probabilities(z), Thresholds.threshold_predict(z)),
            "corn" => (Thresholds.corn_probabilities(z), Thresholds.corn_predict(z)),
            _ => (Thresholds.ecoc_probabilities(z.sigmoid()), Thresholds.ecoc_predict(z.sigmoid())),
        };

        var graph = new OnnxGraph();
        var input = graph.Input("z", TensorProto.Types.DataType.Float, [classes - 1], "outputs");
        var head = OnnxHead.For(LossSpec.Parse(loss));
        var probabilities = head.Probabilities(graph, input, classes);
        var index = head.Classes(graph, input, probabilities)!;
        graph.Output("p", probabilities, TensorProto.Types.DataType.Float, [classes], "distribution");
        graph.Output("c", index, TensorProto.Types.DataType.Int64, [], "class");
        var model = new ModelProto { IrVersion = OnnxGraph.IrVersion, Graph = graph.Proto };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxGraph.Opset });

        using var session = new InferenceSession(model.ToByteArray());
        var values = z.data<float>().ToArray();
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("z", new DenseTensor<float>(values, [64, classes - 1]))]);
        var byName = results.ToDictionary(r => r.Name);
        var onnxP = byName["p"].AsTensor<float>().ToArray();
        var onnxC = byName["c"].AsTensor<long>().ToArray();
        var expectedP = p.data<float>().ToArray();
        double worst = expectedP.Zip(onnxP).Max(pair => Math.Abs(pair.First - pair.Second));
        Assert.True(worst <= 1e-5, $"ONNX Runtime's distributions differ from the library's by up to {worst:E2}");
        Assert.Equal(c.data<long>().ToArray(), onnxC);
    }
}
