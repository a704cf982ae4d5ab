using System.Text;

namespace EarthMover.Tests;

/// <summary>
/// The build step of build/TorchSharpNativeFix.targets marks TorchSharp's GLIBCXX_3.4.32 version need weak in the
/// build output whatever the build host has (build/check-weak-version-need.sh shows what the loader does with it),
/// and leaves the NuGet cache as shipped.
/// </summary>
public class NativeFixTests
{
    private const string Version = "GLIBCXX_3.4.32";
    private const ushort Weak = 0x2; // VER_FLG_WEAK

    [Fact]
    public void The_output_copy_needs_glibcxx_3_4_32_weakly()
    {
        var copies = Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories);
        Assert.NotEmpty(copies);
        Assert.All(copies, copy => Assert.Equal(Weak, (ushort)(NeedFlags(copy, Version) & Weak)));
    }

    [Fact]
    public void The_nuget_cache_keeps_the_library_as_shipped()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var shipped = Directory.Exists(packages)
            ? Directory.GetFiles(Path.Combine(packages, "torchsharp"), "libLibTorchSharp.so", SearchOption.AllDirectories)
            : [];
        Assert.All(shipped, original => Assert.Equal(0, NeedFlags(original, Version) & Weak));
    }

    /// <summary>vna_flags of the need for <paramref name="version"/> in the ELF64 file's .gnu.version_r section.</summary>
    private static ushort NeedFlags(string path, string version)
    {
        byte[] elf = File.ReadAllBytes(path);
        Assert.True(elf.Length > 64 && elf[0] == 0x7F && elf[1] == 'E' && elf[4] == 2 && elf[5] == 1, $"{path} is not a 64-bit little-endian ELF file");
        long sectionTable = BitConverter.ToInt64(elf, 0x28);
        int entrySize = BitConverter.ToUInt16(elf, 0x3A);
        int count = BitConverter.ToUInt16(elf, 0x3C);
        for (int s = 0; s < count; s++)
        {
            int header = (int)(sectionTable + (long)s * entrySize);
            if (BitConverter.ToUInt32(elf, header + 4) != 0x6FFFFFFE)
            {
                continue; // not SHT_GNU_verneed
            }
            long need = BitConverter.ToInt64(elf, header + 0x18);
            int link = (int)BitConverter.ToUInt32(elf, header + 0x28);
            long strings = BitConverter.ToInt64(elf, (int)(sectionTable + (long)link * entrySize) + 0x18);
            for (int n = 0, needs = (int)BitConverter.ToUInt32(elf, header + 0x2C); n < needs; n++)
            {
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int a = 0, auxCount = BitConverter.ToUInt16(elf, (int)need + 2); a < auxCount; a++)
                {
                    int name = (int)(strings + BitConverter.ToUInt32(elf, (int)aux + 8));
                    int end = Array.IndexOf(elf, (byte)0, name);
                    if (Encoding.ASCII.GetString(elf, name, end - name) == version)
                    {
                        return BitConverter.ToUInt16(elf, (int)aux + 4);
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                need += BitConverter.ToUInt32(elf, (int)need + 12);
            }
        }
        throw new Xunit.Sdk.XunitException($"{path} has no {version} version need");
    }
}
