namespace Benefit.Loyalty.Ledger;

/// <summary>A patient's account: the row writers lock, and the balance cached in the same transaction as each entry.</summary>
public sealed class Account
{
    public required string PatientId { get; set; }
    public int Balance { get; set; }
    public DateTime UpdatedAt { get; set; }
}
