using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Ledger;
using Benefit.Loyalty.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Benefit.Loyalty;

/// <summary>
/// The points ledger: awards, two-phase redemptions, reversals, adjustments and expiry.
/// Every write locks the patient's account (row lock on PostgreSQL, BEGIN IMMEDIATE on SQLite),
/// appends entries, updates the cached balance and the FIFO lots in one transaction, so debits
/// never exceed credits and the balance always equals the sum of entries.
/// Thread-safe: each call uses its own context.
/// </summary>
public sealed partial class PointsLedger
{
    private const int MaxAttempts = 5;
    private readonly LoyaltyDbFactory _dbs;
    private readonly PointsRules _rules;
    private readonly LoyaltyOptions _options;
    private readonly TimeProvider _clock;
    private readonly TimeZoneInfo _zone;
    private readonly ILogger<PointsLedger>? _logger;
    private readonly IAwardCompanion? _companion;

    public PointsLedger(LoyaltyDbFactory dbs, PointsRules rules, LoyaltyOptions options, TimeProvider clock,
        IAwardCompanion? companion = null, ILogger<PointsLedger>? logger = null)
    {
        _dbs = dbs;
        _rules = rules;
        _options = options;
        _clock = clock;
        _companion = companion;
        _logger = logger;
        _zone = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZoneId);
        var writers = options.AwardWriters ?? (dbs.Database == LoyaltyDatabase.Sqlite ? 1 : 2);
        _walCheckpointer = new Lazy<WalCheckpointer>(() => new WalCheckpointer(dbs, WalCheckpointPace, logger));
        _awardWriter = new Lazy<Task>(() => Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(WriteAwardGroupsAsync))));
    }

    private DateTime UtcNow => _clock.GetUtcNow().UtcDateTime;

    /// <summary>Runs <paramref name="work"/> in one write transaction holding the patient's account lock; retries on deadlock/serialisation/busy.</summary>
    private async Task<T> InAccountAsync<T>(string patientId, Func<LoyaltyDb, Account, Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var gate = await EnterWriteAsync(ct);
            try
            {
                await using var db = _dbs.CreateDbContext();
                // Microsoft.Data.Sqlite starts this as BEGIN IMMEDIATE, taking the write lock up front.
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                var account = await LockAccountAsync(db, patientId, ct);
                var result = await work(db, account);
                account.UpdatedAt = UtcNow;
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return result;
            }
            catch (Exception e) when (attempt < MaxAttempts && IsTransient(e))
            {
            }
        }
    }

    /// <summary>Queues behind this process's other SQLite writers (see <see cref="LoyaltyDbFactory.WriteGate"/>); a no-op on PostgreSQL.</summary>
    private Task<IDisposable?> EnterWriteAsync(CancellationToken ct) => _dbs.EnterWriteAsync(ct);

    private async Task<Account> LockAccountAsync(LoyaltyDb db, string patientId, CancellationToken ct)
    {
        var now = UtcNow;
        await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO loyalty_accounts ("PatientId", "Balance", "UpdatedAt") VALUES ({patientId}, 0, {now}) ON CONFLICT DO NOTHING""", ct);
        var query = db.LocksRows
            ? db.Accounts.FromSql($"""SELECT * FROM loyalty_accounts WHERE "PatientId" = {patientId} FOR UPDATE""")
            : db.Accounts.Where(a => a.PatientId == patientId);
        return await query.SingleAsync(ct);
    }

    /// <summary>Appends an entry and moves the cached balance with it; a negative balance is a bug, so it throws.</summary>
    private LedgerEntry Append(LoyaltyDb db, Account account, EntryKind kind, int points, Action<LedgerEntry>? fill = null)
    {
        var entry = NewEntry(account, kind, points, fill);
        db.Entries.Add(entry);
        return entry;
    }

    /// <summary>An entry not yet stored, with the account's cached balance moved by it.</summary>
    private LedgerEntry NewEntry(Account account, EntryKind kind, int points, Action<LedgerEntry>? fill = null)
    {
        var entry = new LedgerEntry { PatientId = account.PatientId, Kind = kind, Points = points, CreatedAt = UtcNow };
        fill?.Invoke(entry);
        account.Balance = checked(account.Balance + points);
        if (account.Balance < 0)
            throw new InvalidOperationException($"Balance of {account.PatientId} would become negative.");
        return entry;
    }

    private void CreditLot(LoyaltyDb db, LedgerEntry entry, int points) => db.Lots.Add(NewLot(entry, points));

    /// <summary>The lot a credit entry fills, not yet stored.</summary>
    private PointLot NewLot(LedgerEntry entry, int points)
    {
        var now = UtcNow;
        return new PointLot
        {
            PatientId = entry.PatientId, SourceEntry = entry, EarnedAt = now,
            ExpiresAt = now.AddMonths(_options.PointsLifetimeMonths), Original = points, Remaining = points,
        };
    }

    /// <summary>Takes points from the oldest lots first (or from <paramref name="firstLotId"/> before the rest).</summary>
    private static async Task DebitLotsAsync(LoyaltyDb db, LedgerEntry entry, int points, long? firstLotId, CancellationToken ct)
    {
        var lots = await db.Lots.Where(l => l.PatientId == entry.PatientId && l.Remaining > 0)
            .OrderBy(l => l.ExpiresAt).ThenBy(l => l.Id).ToListAsync(ct);
        var left = points;
        foreach (var lot in lots.OrderBy(l => l.Id == firstLotId ? 0 : 1))
        {
            if (left == 0) break;
            var take = Math.Min(left, lot.Remaining);
            lot.Remaining -= take;
            left -= take;
            db.LotDebits.Add(new LotDebit { LotId = lot.Id, Entry = entry, Points = take });
        }
        if (left > 0)
            throw new InvalidOperationException($"Lots of {entry.PatientId} do not cover a debit of {points}.");
    }

    private static bool IsTransient(Exception e) => e switch
    {
        PostgresException p => p.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        SqliteException s => s.SqliteErrorCode is 5 or 6,
        _ => e.InnerException is { } inner && IsTransient(inner),
    };

    private static bool IsUniqueViolation(Exception e) => e switch
    {
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555,
        _ => e.InnerException is { } inner && IsUniqueViolation(inner),
    };

    private static LedgerException Error(LedgerErrorCode code, string message) => new(code, message);
}
