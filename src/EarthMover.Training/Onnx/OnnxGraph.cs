using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Training.Onnx;

/// <summary>
/// An ONNX graph being written: inputs, constants (initializers), nodes and outputs, on the protobuf classes of
/// OnnxSharp. Names the graph makes itself start with "/" and are kept apart from the names of the inputs and
/// outputs, which are the feature columns' and the documented output names.
/// </summary>
internal sealed class OnnxGraph
{
    /// <summary>The ONNX operator set the graph uses (ONNX 1.12; every ONNX Runtime since 1.12 reads it).</summary>
    public const int Opset = 17;

    /// <summary>The ai.onnx.ml operator set (for LabelEncoder with string keys).</summary>
    public const int MlOpset = 3;

    /// <summary>The ONNX IR version of opset 17.</summary>
    public const long IrVersion = 8;

    public const string MlDomain = "ai.onnx.ml";

    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _next;

    public GraphProto Proto { get; } = new() { Name = "earthmover" };

    /// <summary>Declares a graph input whose first dimension is the batch ("N").</summary>
    public string Input(string name, TensorProto.Types.DataType type, long[] trailing, string documentation)
    {
        Reserve(name);
        Proto.Input.Add(Value(name, type, trailing, documentation));
        return name;
    }

    /// <summary>Declares a graph output (produced by <paramref name="from"/>, copied under <paramref name="name"/>).</summary>
    public void Output(string name, string from, TensorProto.Types.DataType type, long[] trailing, string documentation)
    {
        Reserve(name);
        Node("Identity", [from], output: name);
        Proto.Output.Add(Value(name, type, trailing, documentation));
    }

    /// <summary>A float constant of the given shape.</summary>
    public string Constant(ReadOnlySpan<float> values, params long[] dims) =>
        Initializer(TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(values), dims);

    /// <summary>A double constant of the given shape.</summary>
    public string Constant(ReadOnlySpan<double> values, params long[] dims) =>
        Initializer(TensorProto.Types.DataType.Double, MemoryMarshal.AsBytes(values), dims);

    /// <summary>An int64 constant of the given shape.</summary>
    public string Constant(ReadOnlySpan<long> values, params long[] dims) =>
        Initializer(TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(values), dims);

    /// <summary>A bool constant of the given shape.</summary>
    public string Constant(bool[] values, params long[] dims) =>
        Initializer(TensorProto.Types.DataType.Bool, values.Select(v => v ? (byte)1 : (byte)0).ToArray(), dims);

    /// <summary>A string constant of the given shape.</summary>
    public string Constant(string[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = Fresh("const"), DataType = (int)TensorProto.Types.DataType.String };
        tensor.Dims.AddRange(dims);
        tensor.StringData.AddRange(values.Select(ByteString.CopyFromUtf8));
        Proto.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>A TorchSharp tensor as a float constant of its own shape (or <paramref name="dims"/>).</summary>
    public string Constant(Tensor tensor, long[]? dims = null)
    {
        using var scope = torch.NewDisposeScope();
        var values = tensor.detach().cpu().to(ScalarType.Float32).contiguous().data<float>().ToArray();
        return Constant(values, dims ?? tensor.shape);
    }

    /// <summary>Adds a node and returns the name of its (first) output.</summary>
    /// <param name="op">The operator, e.g. "Gemm".</param>
    /// <param name="inputs">Its input names ("" for an optional input left out).</param>
    /// <param name="attributes">Its attributes.</param>
    /// <param name="domain">The operator's domain ("" for ONNX, <see cref="MlDomain"/>).</param>
    /// <param name="output">The output's name; null for a fresh one.</param>
    public string Node(string op, string[] inputs, IEnumerable<AttributeProto>? attributes = null, string domain = "", string? output = null)
    {
        var node = new NodeProto { OpType = op, Domain = domain, Name = Fresh(op) };
        node.Input.AddRange(inputs);
        string name = output ?? Fresh(op.ToLowerInvariant());
        node.Output.Add(name);
        if (attributes is not null)
        {
            node.Attribute.AddRange(attributes);
        }
        Proto.Node.Add(node);
        return name;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Strings(string name, IEnumerable<string> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        attribute.Strings.AddRange(values.Select(ByteString.CopyFromUtf8));
        return attribute;
    }

    /// <summary>Whether a name is taken by an input or output (for refusing a feature column named like an output).</summary>
    public bool IsTaken(string name) => _names.Contains(name);

    private string Initializer(TensorProto.Types.DataType type, ReadOnlySpan<byte> bytes, long[] dims)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX export writes raw little-endian tensors; this machine is big-endian.");
        }
        var tensor = new TensorProto { Name = Fresh("const"), DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        Proto.Initializer.Add(tensor);
        return tensor.Name;
    }

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, long[] trailing, string documentation)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        shape.Dim.AddRange(trailing.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        return new ValueInfoProto
        {
            Name = name,
            DocString = documentation,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private void Reserve(string name)
    {
        if (!_names.Add(name))
        {
            throw new InvalidOperationException($"the ONNX graph already has an input or output named '{name}'.");
        }
    }

    private string Fresh(string stem)
    {
        string name;
        do
        {
            name = $"/{stem}_{_next++}";
        }
        while (_names.Contains(name));
        return name;
    }
}
