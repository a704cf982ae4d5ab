namespace EarthMover.Training.Onnx;

/// <summary>What the network of an exported model reads: the dense N x width float inputs (null when there are none), and one N-vector of level indices per embedded column.</summary>
/// <param name="Dense">The dense inputs (standardised numbers and one-hot blocks, or scaled pixels).</param>
/// <param name="Embedded">Level indices (int64, 0 for unseen) of the embedded columns, in the encoder's order.</param>
internal sealed record OnnxModelInput(string? Dense, IReadOnlyList<string> Embedded);
