// TorchSharp's own naming at the API boundary: lower-case static classes (earthmover.nn.functional), as in
// torch.nn.functional. Everything behind it is ordinary .NET.
#pragma warning disable CS8981

namespace EarthMover;

/// <summary>
/// The entry point, shaped like TorchSharp's <c>torch</c>: <c>earthmover.nn.functional.squared_emd_loss(...)</c>
/// (functions), <c>earthmover.nn.SquaredEMDLoss(...)</c> (factories returning modules).
/// </summary>
public static partial class earthmover
{
    /// <summary>Loss factories, as <c>torch.nn</c> has them; each returns a module from <see cref="Modules"/>.</summary>
    public static partial class nn
    {
        /// <summary>Loss functions, as <c>torch.nn.functional</c> has them.</summary>
        public static partial class functional
        {
        }
    }
}
