using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Idempotency;
using Benefit.Loyalty.Ledger;

namespace Benefit.Loyalty.Persistence;

/// <summary>What an award group knows before pricing (<see cref="LedgerStore.ReadGroupAsync"/>); events and usage grow as it prices, in queue order.</summary>
internal sealed class AwardGroupState
{
    /// <summary>Keys of the group's reports that are already in the table: replays, reused keys, abandoned claims.</summary>
    public HashSet<IdempotencyKey> UsedKeys { get; } = [];

    /// <summary>Events stored before (only the columns the group needs), and the group's own once added.</summary>
    public Dictionary<(string Provider, string ExternalEventId), ActivityEvent> Events { get; } = [];

    /// <summary>The accounts of the patients whose reports may earn, locked.</summary>
    public Dictionary<string, Account> Accounts { get; } = [];

    public CapTally Usage { get; } = new();
}
