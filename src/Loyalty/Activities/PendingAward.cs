using Benefit.Loyalty.Idempotency;

namespace Benefit.Loyalty.Activities;

/// <summary>An award waiting in <see cref="AwardQueue"/>; its caller waits on <see cref="Done"/>.</summary>
internal sealed class PendingAward(ActivityReport report, IdempotencyKey key, object? companionState)
{
    public ActivityReport Report { get; } = report;
    public IdempotencyKey Key { get; } = key;
    public object? CompanionState { get; } = companionState;
    public string Hash { get; } = IdempotentWrites.Hash("award", report);
    public TaskCompletionSource<AwardResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
