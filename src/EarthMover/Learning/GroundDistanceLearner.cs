using EarthMover.Kernels;

namespace EarthMover;

/// <summary>
/// Learns the ground distance between classes from a network's own penultimate-layer features, as the
/// authors' <c>update_cost_matrix</c> does (docs/math.md §5): each feature vector is normalised (L1 by default),
/// class centroids are the means of the normalised features, D_ij = ‖c_i − c_j‖₂, and the XEMD weights W
/// are built from D (<see cref="XemdWeights.FromDistance(GroundDistance, XemdPreset)"/>). When W ranks the
/// distances, those within 1e-12 of each other (relative to the row's largest) count as ties, so that equal
/// centroids give equal ranks whatever order their features were summed in.
/// </summary>
/// <remarks>
/// <para>Feed it with <see cref="Accumulate"/> and close each epoch with <see cref="EndEpoch"/>. Two ways:</para>
/// <list type="bullet">
/// <item>the paper's: after each epoch, a full pass over the training set with the network in evaluation
/// mode (<see cref="Refit"/> does the pass's bookkeeping);</item>
/// <item>streaming: call <see cref="Accumulate"/> with the features the training forward passes compute
/// anyway (no extra pass); <see cref="EndEpoch"/> starts the next epoch's sums, and
/// <see cref="Momentum"/> keeps an exponential moving average of the centroids across epochs.</item>
/// </list>
/// <para>
/// Its state (sums, counts, centroids) lives in buffers, so that it is saved and loaded with a model when it
/// is registered as a submodule, or on its own with <c>save</c>/<c>load</c>; sums and counts can be added
/// from another learner (<see cref="Merge"/>, what a data-parallel trainer all-reduces). It is deterministic:
/// the same features in the same order give the same W.
/// </para>
/// <para>
/// D and W are cached and follow the buffers: each access of <see cref="Distance"/> or <see cref="Weights"/>
/// compares the centroids and known-class flags with those D was computed from (a memory comparison on the
/// CPU, one comparison read back from the device elsewhere), so a <c>load</c> into this learner or into a model holding it, a
/// <c>load_state_dict</c>, or a write into the buffers is served at once. The buffers stay float64 when the
/// module is converted to another element type (<c>to(ScalarType)</c> moves nothing here).
/// </para>
/// </remarks>
public sealed class GroundDistanceLearner : nn.Module
{
    // Named as registered, so that TorchSharp's to(device) replaces the registered buffers instead of adding
    // buffers named after the fields.
    [TorchSharp.Utils.ComponentName(Name = "sums")]
    private Tensor _sums;

    [TorchSharp.Utils.ComponentName(Name = "counts")]
    private Tensor _counts;

    [TorchSharp.Utils.ComponentName(Name = "centroids")]
    private Tensor _centroids;

    [TorchSharp.Utils.ComponentName(Name = "known")]
    private Tensor _known;

    private GroundDistance? _distance;
    private ClassTree? _tree;

    // The centroids and known-class flags that _distance was computed from (not registered: not state; null
    // whenever the module moves, so that TorchSharp's to(device), which moves every Tensor field, never sees them).
    private Tensor? _distanceCentroids;
    private Tensor? _distanceKnown;
    /// <summary>Distances this close, relative to the largest in their row, are ties when W ranks them.</summary>
    private const double TieTolerance = 1e-12;

    private readonly Dictionary<XemdPreset, XemdWeights> _weights = [];
    private int[] _missing = [];

    /// <summary>A learner for <paramref name="classes"/> classes and <paramref name="features"/>-dimensional features.</summary>
    /// <param name="classes">The number of classes C ≥ 2.</param>
    /// <param name="features">The feature dimension F ≥ 1.</param>
    /// <param name="normalization">How feature vectors are normalised (L1, as the paper, by default).</param>
    /// <param name="momentum">
    /// Exponential moving average of the centroids across epochs: new = momentum · old + (1 − momentum) · this epoch's.
    /// 0 (the default, the paper's) keeps only this epoch's.
    /// </param>
    /// <param name="device">Where the sums are kept (that of the features; the CPU by default).</param>
    public GroundDistanceLearner(int classes, int features, FeatureNormalization normalization = FeatureNormalization.L1, double momentum = 0, Device? device = null)
        : base(nameof(GroundDistanceLearner))
    {
        if (classes < 2)
        {
            throw new ArgumentException($"{nameof(classes)} = {classes}; there must be C >= 2 classes.", nameof(classes));
        }
        if (features < 1)
        {
            throw new ArgumentException($"{nameof(features)} = {features}; the feature dimension must be >= 1.", nameof(features));
        }
        if (!(momentum >= 0 && momentum < 1))
        {
            throw new ArgumentException($"{nameof(momentum)} = {momentum}; it must be in [0, 1).", nameof(momentum));
        }
        if (!Enum.IsDefined(normalization))
        {
            throw new ArgumentException($"{nameof(normalization)} = {normalization} is not a FeatureNormalization value.", nameof(normalization));
        }
        Classes = classes;
        Features = features;
        Normalization = normalization;
        Momentum = momentum;
        device ??= torch.CPU;
        _sums = torch.zeros(classes, features, dtype: ScalarType.Float64, device: device);
        _counts = torch.zeros(classes, dtype: ScalarType.Float64, device: device);
        _centroids = torch.zeros(classes, features, dtype: ScalarType.Float64, device: device);
        _known = torch.zeros(classes, dtype: ScalarType.Float64, device: device);
        register_buffer("sums", _sums);
        register_buffer("counts", _counts);
        register_buffer("centroids", _centroids);
        register_buffer("known", _known);
    }

    /// <summary>The number of classes C.</summary>
    public int Classes { get; }

    /// <summary>The feature dimension F.</summary>
    public int Features { get; }

    /// <summary>How feature vectors are normalised.</summary>
    public FeatureNormalization Normalization { get; }

    /// <summary>The weight of the previous centroids in the moving average (0: none).</summary>
    public double Momentum { get; }

    /// <summary>The classes that had no sample in the last closed epoch and kept their previous centroid.</summary>
    public IReadOnlyList<int> MissingClasses => _missing;

    /// <summary>Whether every class has a centroid, so that <see cref="Distance"/> and <see cref="Weights"/> are defined.</summary>
    public bool IsReady
    {
        get
        {
            using var noGrad = torch.no_grad();
            return _known.sum().ToDouble() == Classes;
        }
    }

    /// <summary>Samples accumulated since the epoch began.</summary>
    public double PendingSamples
    {
        get
        {
            using var noGrad = torch.no_grad();
            return _counts.sum().ToDouble();
        }
    }

    /// <summary>
    /// Adds a batch of features to the sums of their classes. Features are detached: accumulating never
    /// touches the autograd graph, so the training forward pass's own features can be passed.
    /// </summary>
    /// <param name="features">N x F features (any floating type, on the learner's device).</param>
    /// <param name="labels">N class indices.</param>
    public void Accumulate(Tensor features, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.dim() != 2 || features.size(1) != Features)
        {
            throw new ArgumentException($"{nameof(features)} has shape {Check.Shape(features)}; expected N x {Features}.", nameof(features));
        }
        if (labels.dim() != 1 || labels.size(0) != features.size(0) || labels.is_floating_point())
        {
            throw new ArgumentException($"{nameof(labels)} has shape {Check.Shape(labels)} and type {labels.dtype}; expected {features.size(0)} integer class indices.", nameof(labels));
        }
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var cpuLabels = labels.dtype == ScalarType.Int64 ? labels : labels.to(ScalarType.Int64);
        if (FeatureSums.Applies(features, cpuLabels, _sums))
        {
            long bad = FeatureSums.Add(features, cpuLabels, _sums, _counts, Normalization);
            if (bad >= 0)
            {
                throw new ArgumentException($"{nameof(labels)}[{bad}] is not a class index in [0, {Classes}).", nameof(labels));
            }
            return;
        }
        var index = labels.to(ScalarType.Int64, _sums.device);
        if (!index.ge(0).logical_and(index.lt(Classes)).all().ToBoolean())
        {
            throw new ArgumentException($"{nameof(labels)} holds a value outside the class indices [0, {Classes}).", nameof(labels));
        }
        var f = Normalize(features.detach().to(ScalarType.Float64, _sums.device));
        _sums.index_add_(0, index, f, 1);
        _counts.index_add_(0, index, torch.ones(index.size(0), dtype: ScalarType.Float64, device: _sums.device), 1);
    }

    /// <summary>
    /// Closes an epoch: each class seen in it gets the mean of its normalised features as centroid (blended
    /// with the previous one when <see cref="Momentum"/> &gt; 0); a class not seen keeps its previous centroid
    /// and is listed in <see cref="MissingClasses"/>. D and W are recomputed, and the sums start again.
    /// </summary>
    public void EndEpoch()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        if (_sums.device_type == DeviceType.CPU)
        {
            _missing = FeatureSums.CloseEpoch(_sums, _counts, _centroids, _known, Momentum);
            Invalidate();
            return;
        }
        var seen = _counts.gt(0);
        var seenOnHost = seen.cpu();
        _missing = Enumerable.Range(0, Classes).Where(k => !seenOnHost[k].ToBoolean()).ToArray();
        var means = _sums.div(_counts.clamp_min(1).unsqueeze(1));
        if (Momentum > 0)
        {
            means = torch.where(_known.gt(0).unsqueeze(1), _centroids * Momentum + means * (1 - Momentum), means);
        }
        // Every class seen (the usual case): one copy; otherwise the unseen keep their centroid.
        _centroids.copy_(_missing.Length == 0 ? means : torch.where(seen.unsqueeze(1), means, _centroids));
        _known.copy_(torch.where(seen, torch.ones_like(_known), _known));
        _sums.zero_();
        _counts.zero_();
        Invalidate();
    }

    /// <summary>
    /// The paper's mode: forgets the current sums, accumulates every batch (typically a full pass over the
    /// training set with the network in evaluation mode), and closes the epoch.
    /// </summary>
    /// <param name="batches">(features, labels) pairs.</param>
    public void Refit(IEnumerable<(Tensor Features, Tensor Labels)> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        _sums.zero_();
        _counts.zero_();
        foreach (var (features, labels) in batches)
        {
            Accumulate(features, labels);
        }
        EndEpoch();
    }

    /// <summary>Adds another learner's sums and counts to this one's (the data-parallel all-reduce).</summary>
    /// <param name="other">A learner with the same classes and features.</param>
    public void Merge(GroundDistanceLearner other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Classes != Classes || other.Features != Features)
        {
            throw new ArgumentException($"{nameof(other)} learns {other.Classes} classes x {other.Features} features; this one {Classes} x {Features}.", nameof(other));
        }
        using var noGrad = torch.no_grad();
        _sums.add_(other._sums.to(_sums.device));
        _counts.add_(other._counts.to(_counts.device));
    }

    /// <summary>The class centroids (C x F, float64), as of the last closed epoch.</summary>
    public Tensor Centroids => _centroids.detach().clone();

    /// <summary>The learned ground distance D_ij = ‖c_i − c_j‖₂, from the centroids as they are now.</summary>
    /// <exception cref="InvalidOperationException">Some class has no centroid yet (no data, or never seen).</exception>
    public GroundDistance Distance
    {
        get
        {
            if (_distance is null || !ComputedFromCurrentBuffers())
            {
                Invalidate();
                var distance = ComputeDistance();
                using var noGrad = torch.no_grad();
                _distanceCentroids = _centroids.clone().DetachFromDisposeScope();
                _distanceKnown = _known.clone().DetachFromDisposeScope();
                _distance = distance;
            }
            return _distance;
        }
    }

    /// <summary>
    /// The average-linkage hierarchy of <see cref="Distance"/> (<see cref="ClassTree.FromDistance"/>): an ultrametric
    /// tree over the classes, for an exact EMD with soft targets at about the cost of cross-entropy
    /// (<see cref="earthmover.nn.functional.tree_emd_loss(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, ClassTree, EmdInput?, TorchSharp.torch.Tensor?, TorchSharp.torch.Tensor?, TorchSharp.torch.nn.Reduction)"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">Some class has no centroid yet.</exception>
    public ClassTree Tree
    {
        get
        {
            var distance = Distance; // first: it clears the cached tree when the buffers changed
            return _tree ??= ClassTree.FromDistance(distance);
        }
    }

    /// <summary>The XEMD weights built from <see cref="Distance"/> with a preset.</summary>
    /// <param name="preset">mu and w (<see cref="XemdPreset.Xemd1"/> or <see cref="XemdPreset.Xemd2"/>).</param>
    /// <exception cref="InvalidOperationException">Some class has no centroid yet.</exception>
    public XemdWeights Weights(XemdPreset preset)
    {
        var distance = Distance; // first: it clears the cached W when the buffers changed
        if (!_weights.TryGetValue(preset, out var weights))
        {
            weights = XemdWeights.FromDistance(distance, preset.Mu, preset.Power, TieTolerance);
            _weights[preset] = weights;
        }
        return weights;
    }

    /// <inheritdoc />
    protected override nn.Module _to(DeviceType deviceType, int deviceIndex, bool non_blocking)
    {
        Invalidate();
        return base._to(deviceType, deviceIndex, non_blocking);
    }

    /// <summary>Moves the buffers to <paramref name="device"/>; they stay float64 whatever <paramref name="dtype"/> says.</summary>
    /// <inheritdoc />
    protected override nn.Module _to(Device device, ScalarType dtype, bool non_blocking) =>
        _to(device.type, device.index, non_blocking);

    /// <summary>Keeps the float64 buffers: sums of many features, and distances whose ties matter, need the precision.</summary>
    /// <inheritdoc />
    protected override nn.Module _to(ScalarType dtype, bool non_blocking) => this;

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Invalidate();
        }
        base.Dispose(disposing);
    }

    private void Invalidate()
    {
        _distance = null;
        _tree = null;
        _weights.Clear();
        _distanceCentroids?.Dispose();
        _distanceKnown?.Dispose();
        _distanceCentroids = null;
        _distanceKnown = null;
    }

    // Whether the buffers still hold what D was computed from, whatever wrote to them since.
    private bool ComputedFromCurrentBuffers()
    {
        var centroids = _distanceCentroids;
        var known = _distanceKnown;
        if (centroids is null || known is null || centroids.device_type != _centroids.device_type || centroids.device_index != _centroids.device_index)
        {
            return false;
        }
        if (_centroids.device_type == DeviceType.CPU && _centroids.is_contiguous() && _known.is_contiguous())
        {
            return _centroids.bytes.SequenceEqual(centroids.bytes) && _known.bytes.SequenceEqual(known.bytes);
        }
        using var noGrad = torch.no_grad();
        return _centroids.eq(centroids).all().logical_and(_known.eq(known).all()).ToBoolean();
    }

    private GroundDistance ComputeDistance()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var known = _known.cpu().contiguous().data<double>().ToArray();
        var without = Enumerable.Range(0, Classes).Where(k => known[k] == 0).ToArray();
        if (without.Length > 0)
        {
            string which = string.Join(", ", without.Take(10)) + (without.Length > 10 ? ", ..." : "");
            string why = PendingSamples > 0 && known.All(k => k == 0)
                ? "features were accumulated but no epoch was closed yet (call EndEpoch)"
                : "no sample of them has been seen";
            throw new InvalidOperationException($"The learned ground distance is undefined: classes {which} have no centroid yet ({why}).");
        }
        var values = CentroidDistances.Of(_centroids);
        return GroundDistance.Create(values, Classes, "distance");
    }

    private Tensor Normalize(Tensor f) => Normalization switch
    {
        FeatureNormalization.L1 => f / f.abs().sum(1, keepdim: true).clamp_min(double.Epsilon),
        FeatureNormalization.L2 => f / f.norm(1, keepdim: true, p: 2).clamp_min(double.Epsilon),
        _ => f,
    };
}
