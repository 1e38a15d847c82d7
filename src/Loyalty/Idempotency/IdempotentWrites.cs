using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Benefit.Loyalty.Ledger;
using Benefit.Loyalty.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Loyalty.Idempotency;

/// <summary>
/// At most one effect per idempotency key: the key is claimed (committed as in flight), then the work and the stored
/// result commit together. A replay with the same request returns the stored result (or the same domain error); a
/// different request fails with IdempotencyKeyReused; a replay during the first fails with RequestInFlight.
/// </summary>
internal sealed class IdempotentWrites(LoyaltyDbFactory dbs, AccountTransactions accounts, LoyaltyOptions options, TimeProvider clock)
{
    /// <summary>How results are stored with their keys (both award paths use it, so a replay reads either).</summary>
    public static readonly JsonSerializerOptions ResultJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Runs <paramref name="work"/> once for <paramref name="key"/>, in the patient's account transaction; the work gets the key's text.</summary>
    public async Task<T> OnceAsync<T>(IdempotencyKey key, string operation, object request, string patientId,
        Func<LoyaltyDb, Account, string, Task<T>> work, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(key.Scope) || string.IsNullOrWhiteSpace(key.Key))
            throw new LedgerException(LedgerErrorCode.InvalidRequest, "An idempotency key needs a scope and a key.");
        var hash = Hash(operation, request);
        var (replayed, stored) = await ClaimAsync<T>(key, hash, ct);
        if (replayed) return stored!;
        try
        {
            var (result, refusal) = await accounts.InAccountAsync(patientId, async (db, account) =>
            {
                var transaction = db.Database.CurrentTransaction!;
                await transaction.CreateSavepointAsync("work", ct);
                try
                {
                    var result = await work(db, account, key.ToString());
                    var json = JsonSerializer.Serialize(result, ResultJson);
                    var owned = await Find(db, key).Where(k => !k.Completed)
                        .ExecuteUpdateAsync(s => s.SetProperty(k => k.Completed, true).SetProperty(k => k.ResultJson, json), ct);
                    return owned == 1 ? (result, null)
                        : throw new LedgerException(LedgerErrorCode.RequestInFlight, $"Key {key} was taken over by another request.");
                }
                catch (LedgerException e) when (e.Code != LedgerErrorCode.RequestInFlight)
                {
                    // A refusal is a result too: undo the work, keep the refusal with the key, so a replay is refused the same way.
                    await transaction.RollbackToSavepointAsync("work", ct);
                    db.ChangeTracker.Clear();
                    await Find(db, key).Where(k => !k.Completed).ExecuteUpdateAsync(s => s.SetProperty(k => k.Completed, true)
                        .SetProperty(k => k.ErrorCode, e.Code.ToString()).SetProperty(k => k.ErrorMessage, e.Message), ct);
                    return (default(T), (LedgerException?)e);
                }
            }, ct);
            if (refusal is not null) ExceptionDispatchInfo.Throw(refusal);
            return result!;
        }
        catch (Exception e) when (e is not LedgerException)
        {
            // Nothing was committed, so the key is released for an honest retry.
            await using var db = dbs.CreateDbContext();
            await Find(db, key).Where(k => !k.Completed).ExecuteDeleteAsync(CancellationToken.None);
            throw;
        }
    }

    private async Task<(bool Replayed, T? Result)> ClaimAsync<T>(IdempotencyKey key, string hash, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var gate = await dbs.EnterWriteAsync(ct);
            var now = clock.GetUtcNow().UtcDateTime;
            await using var db = dbs.CreateDbContext();
            db.IdempotencyKeys.Add(new IdempotencyRecord
            {
                Scope = key.Scope, Key = key.Key, RequestHash = hash, CreatedAt = now, LeaseUntil = now + options.InFlightLease,
            });
            try
            {
                await db.SaveChangesAsync(ct);
                return (false, default);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                db.ChangeTracker.Clear();
            }
            catch (Exception e) when (attempt < DbErrors.MaxAttempts && DbErrors.IsTransient(e))
            {
                continue;
            }

            var existing = await Find(db, key).AsNoTracking().SingleOrDefaultAsync(ct);
            if (existing is null && attempt < DbErrors.MaxAttempts) continue; // released by a failed first attempt meanwhile
            if (existing is null || existing.RequestHash != hash)
                throw new LedgerException(LedgerErrorCode.IdempotencyKeyReused, $"Idempotency key {key} was already used for a different request.");
            if (existing.Completed)
                return existing.ErrorCode is { } code
                    ? throw new LedgerException(Enum.Parse<LedgerErrorCode>(code), existing.ErrorMessage ?? code)
                    : (true, JsonSerializer.Deserialize<T>(existing.ResultJson!, ResultJson));
            if (existing.LeaseUntil > now)
                throw InFlight(key);
            var takenOver = await Find(db, key).Where(k => !k.Completed && k.LeaseUntil == existing.LeaseUntil)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LeaseUntil, now + options.InFlightLease), ct);
            return takenOver == 1 ? (false, default) : throw InFlight(key);
        }
    }

    /// <summary>Deletes keys older than the retention (at least 24 hours).</summary>
    public async Task<int> PurgeAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow().UtcDateTime - options.IdempotencyKeyRetention;
        await using var db = dbs.CreateDbContext();
        return await db.IdempotencyKeys.Where(k => k.CreatedAt < cutoff).ExecuteDeleteAsync(ct);
    }

    /// <summary>The refusal of a second request while the first with its key is still being worked on.</summary>
    public static LedgerException InFlight(IdempotencyKey key) =>
        new(LedgerErrorCode.RequestInFlight, $"A request with idempotency key {key} is still in progress.");

    private static IQueryable<IdempotencyRecord> Find(LoyaltyDb db, IdempotencyKey key) =>
        db.IdempotencyKeys.Where(k => k.Scope == key.Scope && k.Key == key.Key);

    /// <summary>What tells two requests under one key apart: the operation and the request's JSON, hashed.</summary>
    public static string Hash(string operation, object request) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(operation + "\n" + JsonSerializer.Serialize(request, ResultJson))));
}
