using System.Data.Common;
using Benefit.Loyalty.Ledger;
using Benefit.Loyalty.Persistence;

namespace Benefit.Loyalty.Activities;

/// <summary>
/// Writes one award group inside a transaction, with the semantics of one award at a time in queue order: caps see the
/// awards before them in the group, a second report of the same event is a duplicate, and every report stores its result
/// under its idempotency key (and its audit row, when the host keeps them) in the same transaction. Its reads are one
/// command and its rows one set-based statement per table (<see cref="LedgerStore"/>); pricing is <see cref="AwardPricing"/>'s.
/// </summary>
internal sealed class AwardGroupWriter(AwardPricing pricing, Bookkeeper book, TimeProvider clock, IAwardCompanion? companion)
{
    /// <summary>Prices and writes <paramref name="group"/> in <paramref name="tx"/>; returns the answers and the reports left for the single path.</summary>
    public async Task<(List<(PendingAward Award, AwardResult Result)> Written, List<PendingAward> Alone)> WriteAsync(DbTransaction tx, List<PendingAward> group)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var alone = new List<PendingAward>();
        var answers = new List<(PendingAward Award, Func<AwardResult> Answer)>(group.Count);
        var activities = new List<ActivityEvent>();
        var credits = new List<(LedgerEntry Entry, PointLot Lot)>();

        // What the rules alone say of each report; the database is read once for all of them (one round trip).
        var drafts = group.Select(award =>
        {
            var activity = pricing.NewActivity(award.Report, now);
            var (terms, refusal) = pricing.Screen(activity);
            return (Award: award, Activity: activity, Terms: terms, Refusal: refusal);
        }).ToList();
        var priced = drafts.Where(d => d.Terms is not null && AwardPricing.NeedsUsage(d.Award.Report.Source)).Select(d => (d.Activity, d.Terms!)).ToList();
        var state = await LedgerStore.ReadGroupAsync(tx, group.Select(a => a.Key).ToList(), group.Select(a => a.Report).ToList(), priced, now);

        foreach (var (award, activity, terms, refusal) in drafts)
        {
            var report = award.Report;
            if (state.UsedKeys.Contains(award.Key))
            {
                alone.Add(award); // a replay, a reused key or an abandoned claim: the single path knows each
                continue;
            }
            if (state.Events.TryGetValue((report.Provider, report.ExternalEventId), out var existing))
            {
                if (AwardPricing.Verifies(report, existing))
                    alone.Add(award); // a provider verifying a self-report (after this group commits, if it is in it)
                else
                    answers.Add((award, () => AwardPricing.Duplicate(existing))); // its id is known once the group's activities are in
                continue;
            }

            activities.Add(activity);
            state.Events[(report.Provider, report.ExternalEventId)] = activity;
            var decision = terms is null ? refusal!
                : AwardPricing.Decide(activity, terms, report.Source, state.Usage.For(activity, terms.Rule.Category));
            decision.ApplyTo(activity);
            LedgerEntry? entry = null;
            if (decision.Credits)
            {
                var account = state.Accounts[report.PatientId];
                (entry, var lot) = book.Credit(account, activity, decision.Points, award.Key.ToString());
                credits.Add((entry, lot));
                account.UpdatedAt = now;
                state.Usage.Add(activity, terms!.Rule.Category, decision.Points);
            }
            answers.Add((award, () => decision.ResultFor(activity, entry?.Id)));
        }

        await LedgerStore.WriteAwardsAsync(tx, activities, credits, state.Accounts);
        var written = answers.Select(a => (a.Award, Result: a.Answer())).ToList();
        if (written.Count > 0)
            await LedgerStore.WriteResultsAsync(tx, written.Select(w => (w.Award.Key, w.Award.Hash, w.Result)).ToList(), now);
        if (companion is not null
            && written.Where(w => w.Award.Reporter is not null).Select(w => companion.AuditRow(w.Award.Report, w.Result, w.Award.Reporter!)).ToList() is { Count: > 0 } rows)
            await LedgerStore.WriteAuditRowsAsync(tx, companion.AuditTable, rows, CancellationToken.None);
        return (written, alone);
    }
}
