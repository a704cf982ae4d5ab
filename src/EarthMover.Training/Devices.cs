using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Training;

/// <summary>The --device option.</summary>
internal static class Devices
{
    public static Device Resolve(string name)
    {
        if (name == "cuda")
        {
            if (!torch.cuda.is_available())
            {
                throw new UserError("--device cuda: no CUDA device is available to this build (it references TorchSharp-cpu; see the README to build with TorchSharp-cuda-linux or -windows).");
            }
            return torch.CUDA;
        }
        return torch.CPU;
    }
}
