using EarthMover.Engine;
using EarthMover.Kernels;
using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Tests;

// The tests' way to a loss with a chosen backend (the public functions always take Auto): each goes through the
// same engine call as the public function, with the loss's definition.

/// <summary>squared_emd_loss with a chosen backend.</summary>
internal static class SquaredEmd
{
    public static Tensor Compute(Tensor input, Tensor target, double p, bool root, IReadOnlyList<double>? positions, EmdNormalization normalization, EmdInput inputType, Tensor? sampleWeight, Reduction reduction, LossBackend backend, Tensor? classWeight = null) =>
        LossEngine.Run(new SquaredEmdDefinition(p, root, positions, normalization), input, target, classWeight, sampleWeight, reduction, inputType, backend);
}

/// <summary>ground_emd_loss with a chosen backend.</summary>
internal static class GroundEmd
{
    public static Tensor Compute(Tensor input, Tensor target, GroundDistance distance, EmdInput inputType, Tensor? sampleWeight, Reduction reduction, LossBackend backend, Tensor? classWeight = null) =>
        LossEngine.Run(new GroundEmdDefinition(distance), input, target, classWeight, sampleWeight, reduction, inputType, backend);
}

/// <summary>xemd_loss with a chosen backend.</summary>
internal static class Xemd
{
    public static Tensor Compute(Tensor input, Tensor target, XemdWeights weights, EmdInput inputType, Tensor? sampleWeight, Reduction reduction, LossBackend backend, Tensor? classWeight = null) =>
        LossEngine.Run(new XemdDefinition(weights, null), input, target, classWeight, sampleWeight, reduction, inputType, backend);
}

/// <summary>tree_emd_loss with a chosen backend.</summary>
internal static class TreeEmd
{
    public static Tensor Compute(Tensor input, Tensor target, ClassTree tree, EmdInput inputType, Tensor? sampleWeight, Reduction reduction, LossBackend backend) =>
        LossEngine.Run(new TreeEmdDefinition(tree), input, target, null, sampleWeight, reduction, inputType, backend);
}

/// <summary>emd_loss with a chosen backend, and its solver.</summary>
internal static class Emd
{
    public static Tensor Compute(Tensor input, Tensor target, GroundDistance distance, EmdInput inputType, Tensor? sampleWeight, Reduction reduction, LossBackend backend = LossBackend.Auto) =>
        LossEngine.Run(new EmdDefinition(distance), input, target, null, sampleWeight, reduction, inputType, backend);

    public static Kernels.Transport.ExactTransport Solver(GroundDistance distance) => EmdDefinition.Solver(distance);
}
