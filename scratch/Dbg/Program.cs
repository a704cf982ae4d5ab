using EarthMover;
using TorchSharp;
using static TorchSharp.torch;
foreach (double v in new[]{-27.0, -12.0, -30.0, -5.0, -1.0, -0.01, -60.0})
{
  var z = torch.full(1, 8, -v, dtype: ScalarType.Float32);
  var t = torch.tensor(new long[]{8});
  var a = earthmover.nn.functional.logistic_at_loss(z, t, reduction: nn.Reduction.None).item<float>();
  var b = earthmover.nn.functional.logistic_at_loss(z.to(ScalarType.Float64), t, reduction: nn.Reduction.None).item<double>();
  Console.WriteLine($"{v}: float {a:R} double {b:R} rel {(a-b)/b:E2}  exp {Math.Exp(v):R}");
}
