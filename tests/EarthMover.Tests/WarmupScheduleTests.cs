using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Tests;

/// <summary>The CE warm-up schedule: what it returns in each phase and how it sets β.</summary>
public class WarmupScheduleTests
{
    private static readonly Tensor Logits = torch.tensor(new[] { 2.0, 0.5, -1, 0.1, 0.2, 3 }, 2, 3);
    private static readonly Tensor Target = torch.tensor(new long[] { 0, 1 });

    [Fact]
    public void Warmup_is_cross_entropy_then_the_weighted_sum()
    {
        Tensor Emd(Tensor z, Tensor y) => earthmover.nn.functional.squared_emd_loss(z, y);
        var schedule = new WarmupSchedule(2, Emd, alpha: 0.5, beta: 3.0);
        double ce = nn.functional.cross_entropy(Logits, Target).ToDouble();
        double emd = Emd(Logits, Target).ToDouble();
        for (int epoch = 0; epoch < 2; epoch++)
        {
            Assert.True(schedule.InWarmup);
            Assert.Equal(ce, schedule.Loss(Logits, Target).ToDouble(), 12);
            Assert.Equal(WarmupSchedule.PaperWarmupLearningRate, schedule.PaperLearningRateNow);
            schedule.EndEpoch();
        }
        Assert.False(schedule.InWarmup);
        Assert.Equal(0.5 * ce + 3.0 * emd, schedule.Loss(Logits, Target).ToDouble(), 12);
        Assert.Equal(WarmupSchedule.PaperLearningRate, schedule.PaperLearningRateNow);
    }

    [Fact]
    public void Automatic_beta_matches_the_reproductions_rule_at_the_end_of_warmup()
    {
        Tensor Emd(Tensor z, Tensor y) => earthmover.nn.functional.squared_emd_loss(z, y);
        var schedule = new WarmupSchedule(1, Emd);
        double ce = nn.functional.cross_entropy(Logits, Target).ToDouble();
        double emd = Emd(Logits, Target).ToDouble();
        schedule.Loss(Logits, Target);
        Assert.Null(schedule.Beta);
        schedule.EndEpoch();
        Assert.Equal(ce / (3.5 * emd), schedule.Beta!.Value, 12);
        // β · mean(S) = mean(CE) / 3.5
        Assert.Equal(ce / 3.5, schedule.Beta.Value * emd, 12);
    }

    [Fact]
    public void A_second_loss_not_ready_during_warmup_is_calibrated_on_its_first_batch()
    {
        bool ready = false;
        Tensor Emd(Tensor z, Tensor y) => ready ? earthmover.nn.functional.squared_emd_loss(z, y) : throw new InvalidOperationException("not ready");
        var schedule = new WarmupSchedule(1, Emd, secondaryReady: () => ready);
        schedule.Loss(Logits, Target);
        schedule.EndEpoch();
        Assert.Null(schedule.Beta);
        ready = true;
        var loss = schedule.Loss(Logits, Target);
        double ce = nn.functional.cross_entropy(Logits, Target).ToDouble();
        double emd = earthmover.nn.functional.squared_emd_loss(Logits, Target).ToDouble();
        Assert.Equal(ce / (3.5 * emd), schedule.Beta!.Value, 12);
        Assert.Equal(ce + ce / 3.5, loss.ToDouble(), 12);
    }

    [Fact]
    public void The_combined_loss_trains_through_both_terms()
    {
        using var z = Logits.clone().requires_grad_();
        var schedule = new WarmupSchedule(0, (a, b) => earthmover.nn.functional.squared_emd_loss(a, b), beta: 2);
        schedule.Loss(z, Target).backward();
        using var ce = torch.autograd.grad([nn.functional.cross_entropy(z, Target)], [z])[0];
        using var emd = torch.autograd.grad([earthmover.nn.functional.squared_emd_loss(z, Target)], [z])[0];
        Assert.True(torch.allclose(z.grad!, ce + emd * 2, 1e-10, 1e-12));
    }
}
