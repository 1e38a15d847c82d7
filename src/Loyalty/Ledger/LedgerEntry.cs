using Benefit.Loyalty.Activities;

namespace Benefit.Loyalty.Ledger;

/// <summary>One append-only line of a patient's ledger; corrections are new entries, never edits.</summary>
public sealed class LedgerEntry
{
    public long Id { get; set; }
    public required string PatientId { get; set; }
    public EntryKind Kind { get; set; }
    /// <summary>Signed whole points; the balance is the sum of these.</summary>
    public int Points { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>The activity that earned an award.</summary>
    public long? ActivityId { get; set; }
    public ActivityEvent? Activity { get; set; }
    /// <summary>The rule version that priced an award.</summary>
    public string? RuleVersion { get; set; }
    public Guid? ReservationId { get; set; }
    /// <summary>For a reversal: the award it reverses.</summary>
    public long? ReversedEntryId { get; set; }
    /// <summary>For a reversal: points that could not be taken back because they were already spent.</summary>
    public int Shortfall { get; set; }
    public string? Reason { get; set; }
    /// <summary>"scope/key" of the request that wrote this entry; unique when present.</summary>
    public string? IdempotencyKey { get; set; }
}
