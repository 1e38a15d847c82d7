using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Benefit.Loyalty.Idempotency;
using Benefit.Loyalty.Ledger;
using Benefit.Loyalty.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Loyalty;

public sealed partial class PointsLedger
{
    private static readonly JsonSerializerOptions ResultJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>
    /// At most one effect per key: the key is claimed (committed as in flight), then the work and the stored
    /// result commit together. A replay with the same request returns the stored result (or the same domain
    /// error); a different request fails with IdempotencyKeyReused; a replay during the first fails with RequestInFlight.
    /// </summary>
    private async Task<T> OnceAsync<T>(IdempotencyKey key, string operation, object request, string patientId,
        Func<LoyaltyDb, Account, string, Task<T>> work, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(key.Scope) || string.IsNullOrWhiteSpace(key.Key))
            throw Error(LedgerErrorCode.InvalidRequest, "An idempotency key needs a scope and a key.");
        var hash = Hash(operation, request);
        var (replayed, stored) = await ClaimAsync<T>(key, hash, ct);
        if (replayed) return stored!;
        try
        {
            var (result, refusal) = await InAccountAsync(patientId, async (db, account) =>
            {
                var transaction = db.Database.CurrentTransaction!;
                await transaction.CreateSavepointAsync("work", ct);
                try
                {
                    var result = await work(db, account, key.ToString());
                    var json = JsonSerializer.Serialize(result, ResultJson);
                    var owned = await Find(db, key).Where(k => !k.Completed)
                        .ExecuteUpdateAsync(s => s.SetProperty(k => k.Completed, true).SetProperty(k => k.ResultJson, json), ct);
                    return owned == 1 ? (result, null) : throw Error(LedgerErrorCode.RequestInFlight, $"Key {key} was taken over by another request.");
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
            await using var db = _dbs.CreateDbContext();
            await Find(db, key).Where(k => !k.Completed).ExecuteDeleteAsync(CancellationToken.None);
            throw;
        }
    }

    private async Task<(bool Replayed, T? Result)> ClaimAsync<T>(IdempotencyKey key, string hash, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var gate = await EnterWriteAsync(ct);
            var now = UtcNow;
            await using var db = _dbs.CreateDbContext();
            db.IdempotencyKeys.Add(new IdempotencyRecord
            {
                Scope = key.Scope, Key = key.Key, RequestHash = hash, CreatedAt = now, LeaseUntil = now + _options.InFlightLease,
            });
            try
            {
                await db.SaveChangesAsync(ct);
                return (false, default);
            }
            catch (DbUpdateException e) when (IsUniqueViolation(e))
            {
                db.ChangeTracker.Clear();
            }
            catch (Exception e) when (attempt < MaxAttempts && IsTransient(e))
            {
                continue;
            }

            var existing = await Find(db, key).AsNoTracking().SingleOrDefaultAsync(ct);
            if (existing is null && attempt < MaxAttempts) continue; // released by a failed first attempt meanwhile
            if (existing is null || existing.RequestHash != hash)
                throw Error(LedgerErrorCode.IdempotencyKeyReused, $"Idempotency key {key} was already used for a different request.");
            if (existing.Completed)
                return existing.ErrorCode is { } code
                    ? throw Error(Enum.Parse<LedgerErrorCode>(code), existing.ErrorMessage ?? code)
                    : (true, JsonSerializer.Deserialize<T>(existing.ResultJson!, ResultJson));
            if (existing.LeaseUntil > now)
                throw Error(LedgerErrorCode.RequestInFlight, $"A request with idempotency key {key} is still in progress.");
            var takenOver = await Find(db, key).Where(k => !k.Completed && k.LeaseUntil == existing.LeaseUntil)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LeaseUntil, now + _options.InFlightLease), ct);
            return takenOver == 1 ? (false, default)
                : throw Error(LedgerErrorCode.RequestInFlight, $"A request with idempotency key {key} is still in progress.");
        }
    }

    /// <summary>Deletes keys older than the retention (at least 24 hours); a daily job calls this.</summary>
    public async Task<int> PurgeIdempotencyKeysAsync(CancellationToken ct = default)
    {
        var cutoff = UtcNow - _options.IdempotencyKeyRetention;
        await using var db = _dbs.CreateDbContext();
        return await db.IdempotencyKeys.Where(k => k.CreatedAt < cutoff).ExecuteDeleteAsync(ct);
    }

    private static IQueryable<IdempotencyRecord> Find(LoyaltyDb db, IdempotencyKey key) =>
        db.IdempotencyKeys.Where(k => k.Scope == key.Scope && k.Key == key.Key);

    internal static string Hash(string operation, object request) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(operation + "\n" + JsonSerializer.Serialize(request, ResultJson))));
}
