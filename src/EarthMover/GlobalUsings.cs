// TorchSharp in every file of the library, as System is.
global using TorchSharp;
global using static TorchSharp.torch;
global using Reduction = TorchSharp.torch.nn.Reduction;
