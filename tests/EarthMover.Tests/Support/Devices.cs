using TorchSharp;

namespace EarthMover.Tests.Support;

/// <summary>
/// The devices the tensor-operation form is tested on: always the CPU, and CUDA wherever TorchSharp finds a GPU
/// (a CUDA backend package and a device). The CUDA rows appear only there; <see cref="CudaFactAttribute"/> marks
/// the tests that report, as skipped, that this run had no GPU.
/// </summary>
public static class Devices
{
    public static bool CudaAvailable { get; } = torch.cuda.is_available();

    public static TheoryData<string> All
    {
        get
        {
            var data = new TheoryData<string> { "cpu" };
            if (CudaAvailable)
            {
                data.Add("cuda");
            }
            return data;
        }
    }

    public static torch.Device Parse(string name) => name == "cuda" ? torch.CUDA : torch.CPU;
}

/// <summary>A fact that runs only where CUDA is available, and is reported as skipped elsewhere.</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    public CudaFactAttribute()
    {
        if (!Devices.CudaAvailable)
        {
            Skip = "no CUDA device here (TorchSharp-cpu, or no GPU): the device tests ran on the CPU only";
        }
    }
}
