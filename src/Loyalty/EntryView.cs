using Benefit.Loyalty.Ledger;

namespace Benefit.Loyalty;

public sealed record EntryView(
    long Id, EntryKind Kind, int Points, DateTimeOffset At, string? ActivityType, string? Provider, string? ExternalEventId,
    DateTimeOffset? OccurredAt, string? RuleVersion, Guid? ReservationId, long? ReversedEntryId, int Shortfall, string? Reason);
