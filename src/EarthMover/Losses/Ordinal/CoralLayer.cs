// TorchSharp's own naming at the API boundary: snake_case properties, as in torch.nn.
#pragma warning disable CS8981, CA1707

using TorchSharp.Modules;

namespace EarthMover
{
    public static partial class earthmover
    {
        public static partial class nn
        {
            /// <summary>CORAL's output layer (docs/math.md §16): one shared weight vector and K - 1 biases, z_q = wᵀh + b_q.</summary>
            /// <param name="in_features">The size of the features h.</param>
            /// <param name="classes">K ≥ 2.</param>
            /// <param name="preinit_bias">Start the biases at (K - 1 - q)/(K - 1), decreasing (coral-pytorch's default), instead of 0.</param>
            public static Modules.CoralLayer CoralLayer(long in_features, int classes, bool preinit_bias = true) =>
                new(in_features, classes, preinit_bias);
        }
    }
}

namespace EarthMover.Modules
{
    /// <summary>
    /// CORAL's head (Cao, Mirjalili and Raschka 2020; coral-pytorch's <c>CoralLayer</c>): a bias-free linear map of the
    /// features to one value, plus K - 1 biases, so the K - 1 logits share their weights (the condition of CORAL's rank
    /// consistency). Its output is the input of <see cref="earthmover.nn.functional.coral_loss"/>.
    /// </summary>
    public sealed class CoralLayer : torch.nn.Module<Tensor, Tensor>
    {
        private readonly Linear fc;

        internal CoralLayer(long inFeatures, int classes, bool preinitBias)
            : base(nameof(CoralLayer))
        {
            if (inFeatures < 1)
            {
                throw EarthMover.Losses.Ordinal.OrdinalMath.Invalid($"in_features = {inFeatures}; it must be >= 1.", "in_features");
            }
            if (classes < 2)
            {
                throw new ArgumentException($"classes = {classes}; there must be K >= 2 classes.", nameof(classes));
            }
            fc = torch.nn.Linear(inFeatures, 1, hasBias: false);
            var start = preinitBias
                ? torch.arange(classes - 1, 0, -1, dtype: ScalarType.Float32) / (classes - 1)
                : torch.zeros(classes - 1, dtype: ScalarType.Float32);
            coral_bias = new Parameter(start);
            RegisterComponents();
        }

        /// <summary>The K - 1 biases b_q.</summary>
        public Parameter coral_bias { get; }

        /// <summary>The logits z_q = wᵀh + b_q, N x (K - 1).</summary>
        /// <param name="input">N x in_features features.</param>
        public override Tensor forward(Tensor input) => fc.forward(input) + coral_bias;
    }
}
