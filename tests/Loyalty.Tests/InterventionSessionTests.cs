using System.Text.Json;
using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Idempotency;
using Benefit.Loyalty.Persistence;
using Benefit.Loyalty.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Loyalty.Tests;

/// <summary>The intervention a reported session belongs to: stored by both award paths, read back for training.</summary>
public sealed class InterventionSessionTests
{
    [Theory, ClassData(typeof(BothProviders))]
    public async Task An_award_written_in_a_group_stores_its_intervention(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        var groupsBefore = t.Ledger.AwardGroups.Written;

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => t.Ledger.AwardAsync(
            Report($"p{i}", $"visit-{i}", t.Clock.GetUtcNow(), i == 2 ? null : "pa-nordic-walking"), t.NewKey())));

        Assert.All(results, r => Assert.Equal(AwardOutcome.Awarded, r.Outcome));
        Assert.True(t.Ledger.AwardGroups.Written > groupsBefore);
        Assert.Equal(new[] { "pa-nordic-walking", "pa-nordic-walking", null }, await StoredInterventionsAsync(t, "visit-0", "visit-1", "visit-2"));
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task An_award_written_alone_after_an_abandoned_claim_stores_its_intervention(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        var report = Report("p1", "visit-1", t.Clock.GetUtcNow(), "pa-aqua-fitness");
        var key = t.NewKey();
        await AbandonClaimAsync(t, key, report); // a crashed first attempt: the retry takes the lease over on the single path

        var result = await t.Ledger.AwardAsync(report, key);

        Assert.Equal(AwardOutcome.Awarded, result.Outcome);
        Assert.Equal(new string?[] { "pa-aqua-fitness" }, await StoredInterventionsAsync(t, "visit-1"));
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task A_provider_verifying_a_self_report_names_its_intervention(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        var self = Report("p1", "visit-1", t.Clock.GetUtcNow(), null) with { Source = ActivitySource.SelfReported };
        await t.Ledger.AwardAsync(self, t.NewKey());

        var verified = await t.Ledger.AwardAsync(self with { Source = ActivitySource.VerifiedProvider, InterventionId = "pa-running-start" }, t.NewKey());

        Assert.Equal(AwardOutcome.Awarded, verified.Outcome);
        Assert.Equal(new string?[] { "pa-running-start" }, await StoredInterventionsAsync(t, "visit-1"));
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task A_retry_returns_the_first_result_and_another_intervention_under_the_same_key_is_refused(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        var report = Report("p1", "visit-1", t.Clock.GetUtcNow(), "pa-nordic-walking");
        var key = t.NewKey();

        var first = await t.Ledger.AwardAsync(report, key);
        var retry = await t.Ledger.AwardAsync(report, key);
        var changed = await Assert.ThrowsAsync<LedgerException>(() => t.Ledger.AwardAsync(report with { InterventionId = "pa-aqua-fitness" }, key));

        Assert.Equal(first, retry);
        Assert.Equal(LedgerErrorCode.IdempotencyKeyReused, changed.Code);
        Assert.Equal(new string?[] { "pa-nordic-walking" }, await StoredInterventionsAsync(t, "visit-1"));
    }

    [Fact]
    public void A_report_without_an_intervention_hashes_as_it_did_before_the_field_existed()
    {
        var report = Report("p1", "visit-1", TestLedger.Start, null);

        Assert.DoesNotContain("interventionId", JsonSerializer.Serialize(report, IdempotentWrites.ResultJson));
        Assert.NotEqual(IdempotentWrites.Hash("award", report), IdempotentWrites.Hash("award", report with { InterventionId = "x" }));
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task Intervention_sessions_are_the_verified_ones_before_the_cutoff_by_patient_and_time(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database, TestRules.Capped);
        var now = t.Clock.GetUtcNow();
        async Task<AwardResult> Award(string patient, string eventId, TimeSpan ago, string? intervention, string type = "exercise-session",
            ActivitySource source = ActivitySource.VerifiedProvider) =>
            await t.Ledger.AwardAsync(Report(patient, eventId, now - ago, intervention, type) with { Source = source }, t.NewKey());

        await Award("p2", "late", TimeSpan.FromHours(1), "pa-walking-group");
        await Award("p2", "early", TimeSpan.FromDays(3), "pa-walking-group");
        var noPoints = await Award("p1", "unknown-type", TimeSpan.FromDays(2), "pa-nordic-walking", type: "knitting");
        await Award("p1", "awarded", TimeSpan.FromDays(4), "pa-aqua-fitness");
        await Award("p1", "no-intervention", TimeSpan.FromDays(1), null);
        await Award("p1", "self-reported", TimeSpan.FromDays(1), "pa-aqua-fitness", source: ActivitySource.SelfReported);
        var reversed = await Award("p3", "reversed", TimeSpan.FromDays(1), "pa-running-start");
        await t.Ledger.ReverseAwardAsync(reversed.EntryId!.Value, "mistaken report", t.NewKey());
        await Award("p1", "after-cutoff", TimeSpan.FromMinutes(10), "pa-aqua-fitness");

        var sessions = await t.Ledger.InterventionSessionsAsync(now - TimeSpan.FromMinutes(30), CancellationToken.None);

        Assert.Equal(AwardOutcome.NoPoints, noPoints.Outcome);
        Assert.Equal(
            [
                new InterventionSession("p1", "pa-aqua-fitness", "gym", now - TimeSpan.FromDays(4)),
                new InterventionSession("p1", "pa-nordic-walking", "gym", now - TimeSpan.FromDays(2)),
                new InterventionSession("p2", "pa-walking-group", "gym", now - TimeSpan.FromDays(3)),
                new InterventionSession("p2", "pa-walking-group", "gym", now - TimeSpan.FromHours(1)),
            ],
            sessions);
        Assert.All(sessions, s => Assert.Equal(TimeSpan.Zero, s.OccurredAt.Offset));
    }

    private static ActivityReport Report(string patient, string eventId, DateTimeOffset occurred, string? intervention, string type = "ten") =>
        new(patient, "gym", eventId, type, occurred, InterventionId: intervention);

    private static async Task AbandonClaimAsync(TestLedger t, IdempotencyKey key, ActivityReport report)
    {
        var then = t.Clock.GetUtcNow().UtcDateTime - TimeSpan.FromMinutes(10);
        await using var db = t.Dbs.CreateDbContext();
        db.IdempotencyKeys.Add(new IdempotencyRecord
        {
            Scope = key.Scope, Key = key.Key, RequestHash = IdempotentWrites.Hash("award", report), CreatedAt = then, LeaseUntil = then,
        });
        await db.SaveChangesAsync();
    }

    private static async Task<IEnumerable<string?>> StoredInterventionsAsync(TestLedger t, params string[] eventIds)
    {
        await using var db = t.Dbs.CreateDbContext();
        var stored = await db.Activities.AsNoTracking().Where(a => eventIds.Contains(a.ExternalEventId))
            .ToDictionaryAsync(a => a.ExternalEventId, a => a.InterventionId);
        return eventIds.Select(e => stored[e]).ToList();
    }
}
