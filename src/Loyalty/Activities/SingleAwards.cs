using Benefit.Loyalty.Idempotency;
using Benefit.Loyalty.Ledger;
using Benefit.Loyalty.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Benefit.Loyalty.Activities;

/// <summary>
/// Awards one at a time on EF, each in its own transaction after claiming its key: the path for what a group leaves out
/// (a key seen before, a provider verifying a pending self-report, a group that failed as a whole) and for verifications.
/// Priced by <see cref="AwardPricing"/> with usage from <see cref="LedgerStore.ReadUsageAsync"/>, as the groups are.
/// </summary>
internal sealed class SingleAwards(LoyaltyDbFactory dbs, AwardPricing pricing, Bookkeeper book, AccountTransactions accounts,
    IdempotentWrites once, TimeProvider clock, IAwardCompanion? companion)
{
    /// <summary>Claims the key, then prices the report in its own transaction; the companion's row follows in a transaction of its own.</summary>
    public async Task<AwardResult> AwardAsync(ActivityReport report, IdempotencyKey key, AwardReporter? reporter, CancellationToken ct)
    {
        var result = await once.OnceAsync(key, "award", report, report.PatientId, (db, account, k) => AwardCoreAsync(db, account, report, k, ct), ct);
        if (companion is not null && reporter is not null)
        {
            using var gate = await dbs.EnterWriteAsync(ct);
            await using var db = dbs.CreateDbContext();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await LedgerStore.WriteAuditRowsAsync(tx.GetDbTransaction(), companion.AuditTable, [companion.AuditRow(report, result, reporter)], ct);
            await tx.CommitAsync(ct);
        }
        return result;
    }

    /// <summary>A provider confirms a pending self-reported activity; it is then priced under the normal caps. Repeating it returns the same result.</summary>
    public async Task<AwardResult> VerifyAsync(string provider, string externalEventId, CancellationToken ct)
    {
        string patientId;
        await using (var db = dbs.CreateDbContext())
            patientId = await db.Activities.Where(a => a.Provider == provider && a.ExternalEventId == externalEventId)
                .Select(a => a.PatientId).SingleOrDefaultAsync(ct)
                ?? throw new LedgerException(LedgerErrorCode.ActivityNotFound, $"No activity {externalEventId} from {provider}.");
        return await accounts.InAccountAsync(patientId, async (db, account) =>
        {
            var activity = await db.Activities.SingleAsync(a => a.Provider == provider && a.ExternalEventId == externalEventId, ct);
            return activity.Status == ActivityStatus.Pending
                ? await SettleAsync(db, account, activity, pricing.Terms(activity), ActivitySource.VerifiedProvider, null, ct)
                : await ResultOfAsync(db, activity, ct);
        }, ct);
    }

    private async Task<AwardResult> AwardCoreAsync(LoyaltyDb db, Account account, ActivityReport report, string key, CancellationToken ct)
    {
        var existing = await db.Activities.SingleOrDefaultAsync(a => a.Provider == report.Provider && a.ExternalEventId == report.ExternalEventId, ct);
        if (existing is not null)
        {
            if (!AwardPricing.Verifies(report, existing)) return AwardPricing.Duplicate(existing);
            existing.InterventionId ??= report.InterventionId; // the verifying provider knows which intervention it was
            return await SettleAsync(db, account, existing, pricing.Terms(existing), ActivitySource.VerifiedProvider, key, ct);
        }

        var activity = pricing.NewActivity(report, clock.GetUtcNow().UtcDateTime);
        db.Activities.Add(activity);
        return await SettleAsync(db, account, activity, pricing.Screen(activity), report.Source, key, ct);
    }

    /// <summary>Prices the activity (reading its periods' usage when it may earn), books the decision and saves it.</summary>
    private async Task<AwardResult> SettleAsync(LoyaltyDb db, Account account, ActivityEvent activity,
        (AwardTerms? Terms, AwardDecision? Refusal) screened, ActivitySource source, string? key, CancellationToken ct)
    {
        var decision = screened.Refusal;
        if (screened.Terms is { } terms)
        {
            var used = AwardPricing.NeedsUsage(source)
                ? (await LedgerStore.ReadUsageAsync(db.Database.CurrentTransaction!.GetDbTransaction(), [(activity, terms)], ct)).For(activity, terms.Rule.Category)
                : default;
            decision = AwardPricing.Decide(activity, terms, source, used);
        }
        decision!.ApplyTo(activity);
        LedgerEntry? entry = null;
        if (decision.Credits)
        {
            (entry, var lot) = book.Credit(account, activity, decision.Points, key);
            db.Entries.Add(entry);
            db.Lots.Add(lot);
        }
        await db.SaveChangesAsync(ct);
        return decision.ResultFor(activity, entry?.Id);
    }

    private static async Task<AwardResult> ResultOfAsync(LoyaltyDb db, ActivityEvent a, CancellationToken ct)
    {
        var entryId = await db.Entries.Where(e => e.ActivityId == a.Id && e.Kind == EntryKind.Award).Select(e => (long?)e.Id).SingleOrDefaultAsync(ct);
        var outcome = a.Status is ActivityStatus.Awarded or ActivityStatus.Reversed ? AwardOutcome.Awarded : AwardOutcome.NoPoints;
        return new AwardResult(a.Id, outcome, outcome == AwardOutcome.Awarded ? a.Points : 0, a.Points, a.Reason, a.RuleVersion, entryId, $"Activity is {a.Status}.");
    }
}
