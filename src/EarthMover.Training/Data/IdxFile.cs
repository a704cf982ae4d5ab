using System.Buffers.Binary;
using System.IO.Compression;

namespace EarthMover.Training.Data;

/// <summary>
/// An IDX file (the MNIST / Fashion-MNIST layout), gzipped or not: a big-endian header (two zero bytes, the
/// element type 0x08 for unsigned bytes, the number of dimensions, then each dimension) and the data.
/// </summary>
internal sealed class IdxFile
{
    private IdxFile(int[] dimensions, byte[] data)
    {
        Dimensions = dimensions;
        Data = data;
    }

    public int[] Dimensions { get; }

    public byte[] Data { get; }

    public static IdxFile Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new UserError($"{path}: no such file.");
        }
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B)
        {
            try
            {
                using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                using var plain = new MemoryStream();
                gzip.CopyTo(plain);
                bytes = plain.ToArray();
            }
            catch (InvalidDataException)
            {
                throw new UserError($"{path}: corrupt gzip data.");
            }
        }
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0)
        {
            throw new UserError($"{path}: not an IDX file (corrupt header: it must start with two zero bytes).");
        }
        if (bytes[2] != 0x08)
        {
            throw new UserError($"{path}: IDX element type 0x{bytes[2]:X2} is not supported (unsigned bytes, 0x08, are).");
        }
        int rank = bytes[3];
        if (rank < 1 || rank > 3 || bytes.Length < 4 + 4 * rank)
        {
            throw new UserError($"{path}: corrupt IDX header ({rank} dimensions).");
        }
        var dimensions = new int[rank];
        long size = 1;
        for (int d = 0; d < rank; d++)
        {
            dimensions[d] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * d));
            if (dimensions[d] <= 0)
            {
                throw new UserError($"{path}: corrupt IDX header (dimension {d} is {dimensions[d]}).");
            }
            size *= dimensions[d];
        }
        int offset = 4 + 4 * rank;
        if (bytes.Length - offset != size)
        {
            throw new UserError($"{path}: corrupt IDX file: the header announces {size} values but {bytes.Length - offset} follow.");
        }
        return new IdxFile(dimensions, bytes[offset..]);
    }
}
