// TorchSharp in every file of the library, as System is.
global using TorchSharp;
global using static TorchSharp.torch;
global using Reduction = TorchSharp.torch.nn.Reduction;
// The engine every loss runs on, and the ordinal losses' shared parts.
global using EarthMover.Engine;
global using EarthMover.Losses.Ordinal;
