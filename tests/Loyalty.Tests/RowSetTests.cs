using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Ledger;
using Benefit.Loyalty.Persistence;
using Benefit.Loyalty.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Benefit.Loyalty.Tests;

/// <summary>The award groups write their rows by hand (the ledger's RowSets); EF must read them back, and find them in queries, as if it had written them.</summary>
public sealed class RowSetTests
{
    private static readonly RowSet<ActivityEvent> Activities = LedgerStore.ActivityRows;
    private static readonly RowSet<LedgerEntry> Entries = LedgerStore.EntryRows;

    [Theory, ClassData(typeof(BothProviders))]
    public async Task Rows_written_set_based_read_back_through_EF_as_written_and_match_its_filters(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        var occurred = new DateTime(2026, 3, 29, 1, 30, 15, 123, DateTimeKind.Utc).AddTicks(4560); // the night clocks go forward
        var written = new[]
        {
            new ActivityEvent
            {
                PatientId = "p-é", Provider = "gym \"north\"", ExternalEventId = "e1", ActivityType = "exercise-session", Category = "physical-activity",
                OccurredAt = occurred, ReceivedAt = occurred.AddMinutes(5), LocalDate = new DateOnly(2026, 3, 29), LocalWeekStart = new DateOnly(2026, 3, 23),
                LocalYear = 2026, Source = ActivitySource.VerifiedProvider, Status = ActivityStatus.Awarded, Points = 50, RuleVersion = "2026.1",
                Reason = AwardReason.WeeklyCapReached,
            },
            new ActivityEvent
            {
                PatientId = "p2", Provider = "app", ExternalEventId = "e2", ActivityType = "bp-self-measurement", Category = null,
                OccurredAt = occurred, ReceivedAt = occurred, LocalDate = new DateOnly(2025, 12, 31), LocalWeekStart = new DateOnly(2025, 12, 29),
                LocalYear = 2025, Source = ActivitySource.SelfReported, Status = ActivityStatus.Pending, Points = 0, RuleVersion = null,
                Reason = AwardReason.PendingVerification,
            },
        };
        var reservation = Guid.NewGuid();

        await using (var db = t.Dbs.CreateDbContext())
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            var ids = new Dictionary<string, long>();
            await Activities.ReadAsync(tx.GetDbTransaction(), written, Activities.InsertInto("loyalty_activities", """RETURNING "Id", "ExternalEventId" """),
                r => ids[r.GetString(1)] = r.GetInt64(0));
            written[0].Id = ids["e1"]; // the ledger's entry rows take the activity's id from the entry's activity
            LedgerEntry[] entries =
            [
                new() { PatientId = "p-é", Kind = EntryKind.Award, Points = 50, CreatedAt = occurred, Activity = written[0], RuleVersion = "2026.1", IdempotencyKey = "s/k" },
                new() { PatientId = "p-é", Kind = EntryKind.Reserve, Points = -50, CreatedAt = occurred, ReservationId = reservation, Reason = "a reason" },
            ];
            Assert.Equal(2, await Entries.ExecuteAsync(tx.GetDbTransaction(), entries, Entries.InsertInto("loyalty_entries")));
            await tx.CommitAsync();
        }

        await using var read = t.Dbs.CreateDbContext();
        var activities = await read.Activities.OrderBy(a => a.ExternalEventId).ToListAsync();
        Assert.Equal(written.Select(Shape), activities.Select(Shape));
        Assert.All(activities, a => Assert.Equal(DateTimeKind.Utc, a.OccurredAt.Kind));
        // EF's own parameters find the hand-written values (same text for days and instants on SQLite).
        Assert.Equal("e1", (await read.Activities.SingleAsync(a => a.LocalDate == new DateOnly(2026, 3, 29) && a.OccurredAt == occurred)).ExternalEventId);
        Assert.Equal("e2", (await read.Activities.SingleAsync(a => a.Status == ActivityStatus.Pending && a.Category == null)).ExternalEventId);
        var reserve = await read.Entries.SingleAsync(e => e.ReservationId == reservation);
        Assert.Equal((EntryKind.Reserve, -50, "a reason", (long?)null), (reserve.Kind, reserve.Points, reserve.Reason, reserve.ActivityId));
        var award = await read.Entries.Include(e => e.Activity).SingleAsync(e => e.Kind == EntryKind.Award);
        Assert.Equal(("e1", "s/k", occurred), (award.Activity!.ExternalEventId, award.IdempotencyKey, award.CreatedAt));
    }

    private static string Shape(ActivityEvent a) =>
        $"{a.PatientId}|{a.Provider}|{a.ExternalEventId}|{a.ActivityType}|{a.Category}|{a.OccurredAt:O}|{a.ReceivedAt:O}|{a.LocalDate}|{a.LocalWeekStart}|" +
        $"{a.LocalYear}|{a.Source}|{a.Status}|{a.Points}|{a.RuleVersion}|{a.Reason}";
}
