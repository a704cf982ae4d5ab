using EarthMover.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Tests.Properties;

/// <summary>
/// Whatever a caller passes, each loss either returns the reference value (and gradient) or throws an
/// ArgumentException: never another exception, a native crash or a silent NaN. Valid calls must succeed and
/// invalid ones must throw: the case decides which (<see cref="LossCaseBuilder"/>), not the code under test.
/// </summary>
public class RobustnessProperties(ITestOutputHelper output)
{
    /// <summary>Generated cases per run; each is one call with its reference (a few milliseconds).</summary>
    private const int Cases = 500;

    [Fact]
    public void Every_call_returns_the_reference_or_throws_an_argument_exception()
    {
        var tally = new Dictionary<string, int>();
        // A new seed each run (printed, so that a failure can be replayed with EARTHMOVER_PROPERTY_SEED).
        if (!ulong.TryParse(Environment.GetEnvironmentVariable("EARTHMOVER_PROPERTY_SEED"), out var seed))
        {
            seed = (ulong)Random.Shared.NextInt64();
        }
        output.WriteLine($"FsCheck seed {seed}; to replay: EARTHMOVER_PROPERTY_SEED={seed} dotnet test -c Release --filter RobustnessProperties");
        var config = Config.QuickThrowOnFailure
            .WithMaxTest(Cases)
            .WithReplay(new Replay(new Rnd(seed), Microsoft.FSharp.Core.FSharpOption<int>.None));
        FsCheck.Check.One(config, Prop.ForAll(LossCase.Arbitrary(), c => Holds(c, tally)));
        int total = tally.Where(kv => !kv.Key.StartsWith("gradients", StringComparison.Ordinal)).Sum(kv => kv.Value);
        output.WriteLine($"{total} generated cases (FsCheck MaxTest {Cases}): " + string.Join(", ", tally.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} {kv.Value}")));
        Assert.True(total >= Cases, $"only {total} cases ran");
    }

    private static void Holds(LossCase c, Dictionary<string, int> tally)
    {
        using var scope = torch.NewDisposeScope();
        var built = LossCaseBuilder.Build(c);
        Tensor result;
        try
        {
            result = built.Call();
        }
        catch (ArgumentException e) when (built.Verdict != Verdict.Valid)
        {
            Count(tally, "refused as invalid");
            Assert.False(string.IsNullOrEmpty(e.ParamName), $"the ArgumentException names no parameter: {e.Message}");
            return;
        }
        catch (ArgumentException e)
        {
            throw new Xunit.Sdk.XunitException($"a valid call was refused: {e.Message} (parameter {e.ParamName})");
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"not an ArgumentException: {e.GetType().Name}: {e.Message}");
        }
        Assert.True(built.Verdict != Verdict.Invalid, $"an invalid call ({built.Why}) returned a value");
        Count(tally, c.Rows == 0 ? "valid, empty batch" : $"valid, {c.InputType}");

        var got = Tensors.ToDoubles(result);
        Assert.All(got, v => Assert.False(double.IsNaN(v), "silent NaN"));
        Assert.Equal(c.InputType, result.dtype);
        long[] shape = c.Reduction == Reduction.None ? [c.Rows] : [];
        Assert.Equal(shape, result.shape);
        var expected = built.ReferenceValue(out var tolerance);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(got[i] - expected[i]) <= tolerance[i], $"value {i}: {got[i]:R}, reference {expected[i]:R}, tolerance {tolerance[i]:E2}");
        }

        if (built.GradientLeaves.Count == 0)
        {
            return;
        }
        if (built.NearKink())
        {
            Count(tally, "gradients at a kink (not compared)");
            return;
        }
        var leaves = built.GradientLeaves;
        var grads = torch.autograd.grad([result.sum()], leaves.Select(l => l.Leaf).ToList(), allow_unused: true);
        var reference = built.ReferenceGradients();
        for (int g = 0; g < leaves.Count; g++)
        {
            // A gradient is rounded to its leaf's type, and computed in the input's.
            var coarsest = new[] { c.InputType, leaves[g].Leaf.dtype }.MaxBy(LossCaseBuilder.Precision);
            double precision = LossCaseBuilder.Precision(coarsest) * (coarsest == ScalarType.Float64 ? 100 : 5);
            var actual = grads[g] is null ? new double[reference[g].Length] : Tensors.ToDoubles(leaves[g].View(grads[g]));
            Assert.All(actual, v => Assert.True(double.IsFinite(v), $"non-finite gradient of {leaves[g].Name}"));
            double scale = reference[g].Select(Math.Abs).DefaultIfEmpty(0).Max() + built.GradientScale();
            for (int i = 0; i < actual.Length; i++)
            {
                Assert.True(Math.Abs(actual[i] - reference[g][i]) <= precision * scale,
                    $"gradient of {leaves[g].Name} [{i}]: {actual[i]:R}, reference {reference[g][i]:R}, tolerance {precision * scale:E2}; all: [{string.Join(", ", actual.Take(12))}] reference [{string.Join(", ", reference[g].Take(12))}]");
            }
        }
        Count(tally, "gradients checked");
    }

    private static void Count(Dictionary<string, int> tally, string key) => tally[key] = tally.GetValueOrDefault(key) + 1;
}
