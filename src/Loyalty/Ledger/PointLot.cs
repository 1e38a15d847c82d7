namespace Benefit.Loyalty.Ledger;

/// <summary>Points from one credit, spent and expired oldest first; the sum of lots' remaining points equals the balance.</summary>
public sealed class PointLot
{
    public long Id { get; set; }
    public required string PatientId { get; set; }
    public long SourceEntryId { get; set; }
    public LedgerEntry? SourceEntry { get; set; }
    public DateTime EarnedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public int Original { get; set; }
    /// <summary>Original minus the lot's debits; cached so FIFO spending needs no aggregate.</summary>
    public int Remaining { get; set; }
}

/// <summary>Which lot a debit entry drew from (negative when a cancelled reservation gave points back).</summary>
public sealed class LotDebit
{
    public long Id { get; set; }
    public long LotId { get; set; }
    public long EntryId { get; set; }
    public LedgerEntry? Entry { get; set; }
    public int Points { get; set; }
}
