using Benefit.Loyalty.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Loyalty.Persistence;

/// <summary>
/// EF write transactions that hold a patient's account lock (a row lock on PostgreSQL, BEGIN IMMEDIATE on SQLite), so
/// debits never exceed credits and the cached balance moves with its entries.
/// </summary>
internal sealed class AccountTransactions(LoyaltyDbFactory dbs, TimeProvider clock)
{
    /// <summary>Runs <paramref name="work"/> in one write transaction holding the patient's account lock; retries on deadlock/serialisation/busy.</summary>
    public async Task<T> InAccountAsync<T>(string patientId, Func<LoyaltyDb, Account, Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var gate = await dbs.EnterWriteAsync(ct);
            try
            {
                await using var db = dbs.CreateDbContext();
                // Microsoft.Data.Sqlite starts this as BEGIN IMMEDIATE, taking the write lock up front.
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                var account = await LedgerStore.LockAccountAsync(db, patientId, clock.GetUtcNow().UtcDateTime, ct);
                var result = await work(db, account);
                account.UpdatedAt = clock.GetUtcNow().UtcDateTime;
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return result;
            }
            catch (Exception e) when (attempt < DbErrors.MaxAttempts && DbErrors.IsTransient(e))
            {
            }
        }
    }
}
