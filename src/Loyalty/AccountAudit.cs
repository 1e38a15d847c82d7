namespace Benefit.Loyalty;

/// <summary>An account's books, for invariant checks: Issued = Balance + Reserved + Spent + Expired + Reversed + AdjustedOut.</summary>
public sealed record AccountAudit(
    int CachedBalance, int EntrySum, int LotsRemaining, int Issued, int Reserved, int Spent, int Expired, int Reversed, int AdjustedOut)
{
    public bool IsConsistent => CachedBalance == EntrySum && EntrySum == LotsRemaining && CachedBalance >= 0
        && Issued == CachedBalance + Reserved + Spent + Expired + Reversed + AdjustedOut;
}
