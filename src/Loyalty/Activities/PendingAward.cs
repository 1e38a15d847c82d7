using Benefit.Loyalty.Idempotency;

namespace Benefit.Loyalty.Activities;

/// <summary>An award waiting in <see cref="AwardQueue"/>; its caller waits on <see cref="Done"/>.</summary>
internal sealed class PendingAward(ActivityReport report, IdempotencyKey key, AwardReporter? reporter)
{
    public ActivityReport Report { get; } = report;
    public IdempotencyKey Key { get; } = key;
    public AwardReporter? Reporter { get; } = reporter;
    public string Hash { get; } = IdempotentWrites.Hash("award", report);
    public TaskCompletionSource<AwardResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
