using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace EarthMover;

/// <summary>
/// A C x C matrix of doubles, checked once when made, that the losses read: the managed values feed the
/// CPU kernels, and a tensor per (type, device) is made once for the other devices.
/// </summary>
public abstract class SquareMatrix
{
    private readonly ConcurrentDictionary<(ScalarType, string), Tensor> _tensors = new();
    private readonly ConcurrentDictionary<Type, object> _kernels = new();

    private protected SquareMatrix(double[] values, int classes)
    {
        Values = values;
        Classes = classes;
    }

    /// <summary>The number of classes C.</summary>
    public int Classes { get; }

    /// <summary>Row-major values, C x C.</summary>
    internal double[] Values { get; }

    /// <summary>The entry in row <paramref name="i"/>, column <paramref name="j"/>.</summary>
    public double this[int i, int j] => Values[checked(i * Classes + j)];

    /// <summary>A copy of the values as a C x C array.</summary>
    public double[,] ToArray()
    {
        var result = new double[Classes, Classes];
        for (int i = 0; i < Classes; i++)
        {
            for (int j = 0; j < Classes; j++)
            {
                result[i, j] = Values[i * Classes + j];
            }
        }
        return result;
    }

    /// <summary>The matrix as a new C x C tensor.</summary>
    /// <param name="dtype">Its element type (float64 by default).</param>
    /// <param name="device">Its device (the CPU by default).</param>
    public Tensor ToTensor(ScalarType dtype = ScalarType.Float64, Device? device = null)
    {
        using var cpu = torch.tensor(Values, Classes, Classes, dtype: ScalarType.Float64);
        return cpu.to(dtype, device ?? torch.CPU);
    }

    /// <summary>The matrix as a tensor cached per type and device (not to be disposed by callers).</summary>
    internal Tensor CachedTensor(ScalarType dtype, Device device) =>
        _tensors.GetOrAdd((dtype, device.ToString()), _ =>
        {
            var t = ToTensor(dtype, device);
            t.DetachFromDisposeScope();
            return t;
        });

    /// <summary>A kernel built from the values once per kernel type.</summary>
    internal TKernel CachedKernel<TKernel>(Func<TKernel> create)
        where TKernel : class =>
        (TKernel)_kernels.GetOrAdd(typeof(TKernel), _ => create());

    /// <summary>Reads a C x C tensor of any floating type and device into row-major doubles.</summary>
    private protected static (double[] Values, int Classes) Read(Tensor matrix, string parameter)
    {
        ArgumentNullException.ThrowIfNull(matrix, parameter);
        if (matrix.dim() != 2 || matrix.size(0) != matrix.size(1))
        {
            throw new ArgumentException($"{parameter} must be a square C x C matrix; it has shape {Check.Shape(matrix)}.", parameter);
        }
        if (!matrix.is_floating_point())
        {
            throw new ArgumentException($"{parameter} must be floating point; it is {matrix.dtype}.", parameter);
        }
        using var cpu = matrix.detach().to(ScalarType.Float64, torch.CPU).contiguous();
        return (MemoryMarshal.Cast<byte, double>(cpu.bytes).ToArray(), checked((int)matrix.size(0)));
    }

    /// <summary>Copies a C x C array into row-major doubles.</summary>
    private protected static (double[] Values, int Classes) Read(double[,] matrix, string parameter)
    {
        ArgumentNullException.ThrowIfNull(matrix, parameter);
        int rows = matrix.GetLength(0);
        if (rows != matrix.GetLength(1))
        {
            throw new ArgumentException($"{parameter} must be a square C x C matrix; it is {rows} x {matrix.GetLength(1)}.", parameter);
        }
        var values = new double[rows * rows];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < rows; j++)
            {
                values[i * rows + j] = matrix[i, j];
            }
        }
        return (values, rows);
    }

    private protected static void CheckFinite(double[] values, int classes, string parameter)
    {
        if (classes < 2)
        {
            throw new ArgumentException($"{parameter} is {classes} x {classes}; there must be C >= 2 classes.", parameter);
        }
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"{parameter}[{i / classes}, {i % classes}] = {values[i]}; entries must be finite.", parameter);
            }
        }
    }
}
