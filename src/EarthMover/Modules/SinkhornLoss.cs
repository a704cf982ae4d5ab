using EarthMover.Kernels.Transport;

namespace EarthMover.Modules;

/// <summary>The entropic (Sinkhorn) EMD as a module: see <see cref="earthmover.nn.functional.sinkhorn_loss(Tensor, Tensor, GroundDistance, double, SinkhornQuantity?, int?, double?, EmdInput?, Tensor?, Tensor?, Reduction)"/>. Options are checked when set.</summary>
public sealed class SinkhornLoss : GroundDistanceLoss
{
    private double _epsilon;
    private SinkhornQuantity _quantity;
    private int _maxIter;
    private double? _tol;

    internal SinkhornLoss(GroundDistance distance, double epsilon, SinkhornQuantity? quantity, int? maxIter, double? tol, EmdInput? inputType, Tensor? weight, Reduction reduction)
        : base(distance, inputType, weight, reduction)
    {
        Sinkhorn.CheckOptions(epsilon, quantity ?? LossDefaults.Sinkhorn, maxIter ?? LossDefaults.SinkhornMaxIterations, tol);
        _epsilon = epsilon;
        _quantity = quantity ?? LossDefaults.Sinkhorn;
        _maxIter = maxIter ?? LossDefaults.SinkhornMaxIterations;
        _tol = tol;
    }

    /// <summary>The regularisation ε &gt; 0.</summary>
    public double epsilon { get => _epsilon; set => _epsilon = Checked(value, _quantity, _maxIter, _tol).Epsilon; }

    /// <summary>Which value the loss returns.</summary>
    public SinkhornQuantity quantity { get => _quantity; set => _quantity = Checked(_epsilon, value, _maxIter, _tol).Quantity; }

    /// <summary>The iteration cap.</summary>
    public int max_iter { get => _maxIter; set => _maxIter = Checked(_epsilon, _quantity, value, _tol).MaxIter; }

    /// <summary>The stopping threshold on the marginal error, or null for the default of the input's type.</summary>
    public double? tol { get => _tol; set => _tol = Checked(_epsilon, _quantity, _maxIter, value).Tol; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input, Tensor target, Tensor? sample_weight) =>
        earthmover.nn.functional.sinkhorn_loss(input, target, distance, epsilon, quantity, max_iter, tol, input_type, weight, sample_weight, reduction);

    private static (double Epsilon, SinkhornQuantity Quantity, int MaxIter, double? Tol) Checked(double epsilon, SinkhornQuantity quantity, int maxIter, double? tol)
    {
        Sinkhorn.CheckOptions(epsilon, quantity, maxIter, tol);
        return (epsilon, quantity, maxIter, tol);
    }
}
