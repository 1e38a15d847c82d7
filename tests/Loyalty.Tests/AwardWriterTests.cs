using System.Buffers.Binary;
using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Persistence;
using Benefit.Loyalty.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Loyalty.Tests;

/// <summary>The award writer's SQLite connection (kept open with its compiled statements) and its background checkpoints.</summary>
public sealed class AwardWriterTests
{
    [Fact]
    public async Task On_sqlite_the_log_is_copied_into_the_database_beside_the_writer_long_before_the_automatic_checkpoint()
    {
        await using var t = await TestLedger.CreateAsync(LoyaltyDatabase.Sqlite);

        for (var i = 0; i < 5; i++) Assert.Equal(AwardOutcome.Awarded, (await t.AwardAsync($"p{i}", "ten")).Outcome);

        // Five awards write a few dozen pages of log; the writer's own checkpoint waits for 1,000. The log index (-shm)
        // says how many frames the log holds (mxFrame, header offset 16) and how many are copied back (nBackfill, offset 96).
        var (frames, copied) = (0u, 0u);
        for (var wait = 0; wait < 100 && (frames == 0 || copied != frames); wait++)
        {
            await Task.Delay(50);
            (frames, copied) = ReadLogIndex(t.SqliteFile! + "-shm");
        }
        Assert.InRange(frames, 1u, 999u);
        Assert.Equal(frames, copied);
        for (var i = 0; i < 5; i++) Assert.Equal(10, (await t.Ledger.GetStatementAsync($"p{i}")).Balance);
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task A_group_that_fails_as_a_whole_leaves_the_writer_ready_for_the_next_group(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        var companion = await FailingCompanion.CreateAsync(t, "bad");
        await using var ledger = new PointsLedger(t.Dbs, t.Rules, t.Options, t.Clock, companion);
        Task<AwardResult> Award(string patient, string reporter) => ledger.AwardAsync(
            new ActivityReport(patient, "gym", Guid.NewGuid().ToString(), "ten", t.Clock.GetUtcNow()), t.NewKey(), new AwardReporter(reporter, "provider"));

        // Warm the writer up (its connection and statements), then send a group with one award the companion refuses.
        Assert.Equal(AwardOutcome.Awarded, (await Award("p0", "ok")).Outcome);
        var first = new[] { "ok", "ok", "bad", "ok" }.Select((reporter, i) => Award($"p{i + 1}", reporter)).ToList();
        await Assert.ThrowsAsync<InvalidOperationException>(() => first[2]);
        var second = await Task.WhenAll(Enumerable.Range(5, 6).Select(i => Award($"p{i}", "ok")));

        Assert.All(first.Where(a => a != first[2]), a => Assert.Equal(AwardOutcome.Awarded, a.Result.Outcome));
        Assert.All(second, a => Assert.Equal(AwardOutcome.Awarded, a.Outcome));
        // The refused one went on alone: the single path commits the award, then fails making its audit row.
        foreach (var patient in Enumerable.Range(0, 11).Select(i => $"p{i}"))
            Assert.Equal(10, (await ledger.GetStatementAsync(patient)).Balance);
        Assert.Equal(1, ledger.AwardGroups.Failed); // the groups after it are written as groups again
        var rows = await companion.ReadRowsAsync();
        Assert.Equal(10, rows.Count);
        Assert.All(rows, r => Assert.Equal(("ok", "provider", "points.award", "allowed"), (r.Subject, r.Role, r.Action, r.Outcome)));
        Assert.Equal(Enumerable.Range(0, 11).Where(i => i != 3).Select(i => $"p{i}").Order(), rows.Select(r => r.PatientId).Order());
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task A_replay_gets_its_audit_row_too_and_an_award_without_a_reporter_gets_none(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        var companion = await FailingCompanion.CreateAsync(t, "nobody");
        await using var ledger = new PointsLedger(t.Dbs, t.Rules, t.Options, t.Clock, companion);
        var report = new ActivityReport("p1", "gym", "visit-1", "ten", t.Clock.GetUtcNow());
        var key = t.NewKey();

        var first = await ledger.AwardAsync(report, key, new AwardReporter("gym-1", "provider", "service-delivery", "trace-1", "10.0.0.7"));
        var replay = await ledger.AwardAsync(report, key, new AwardReporter("gym-1", "provider")); // the single path
        await ledger.AwardAsync(report with { ExternalEventId = "visit-2" }, t.NewKey());

        Assert.Equal(first, replay);
        var rows = await companion.ReadRowsAsync();
        Assert.Equal(["gym-1", "gym-1"], rows.Select(r => r.Subject));
        Assert.Equal(("service-delivery", "trace-1", "10.0.0.7"), (rows[0].Purpose, rows[0].TraceId, rows[0].ClientAddress));
        Assert.Equal(("provider", (string?)null), (rows[1].Role, rows[1].TraceId));
    }

    private static (uint Frames, uint Copied) ReadLogIndex(string shm)
    {
        using var file = new FileStream(shm, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var header = new byte[100];
        file.ReadExactly(header);
        return (BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(16)), BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(96)));
    }

    /// <summary>An audit trail in a table of its own that refuses awards reported by <paramref name="refused"/>, failing their whole transaction.</summary>
    private sealed class FailingCompanion(TestLedger t, string refused) : IAwardCompanion
    {
        public string AuditTable => "test_audit";

        public static async Task<FailingCompanion> CreateAsync(TestLedger t, string refused)
        {
            var at = t.Dbs.Database == LoyaltyDatabase.Postgres ? "timestamptz" : "TEXT";
            await using var db = t.Dbs.CreateDbContext();
            var table = $"""
                CREATE TABLE test_audit ("At" {at} NOT NULL, "Subject" TEXT NOT NULL, "Role" TEXT NOT NULL, "PatientId" TEXT,
                "Action" TEXT NOT NULL, "Outcome" TEXT NOT NULL, "Detail" TEXT, "Purpose" TEXT, "TraceId" TEXT, "ClientAddress" TEXT)
                """;
            await db.Database.ExecuteSqlRawAsync(table);
            return new FailingCompanion(t, refused);
        }

        public AwardAuditRow AuditRow(ActivityReport report, AwardResult result, AwardReporter reporter) =>
            reporter.Subject == refused ? throw new InvalidOperationException("The companion refuses this award.")
                : new AwardAuditRow(t.Clock.GetUtcNow().UtcDateTime, reporter.Subject, reporter.Role, report.PatientId, "points.award", "allowed",
                    Purpose: reporter.Purpose, TraceId: reporter.TraceId, ClientAddress: reporter.ClientAddress);

        public async Task<List<AwardAuditRow>> ReadRowsAsync()
        {
            await using var db = t.Dbs.CreateDbContext();
            return await db.Database.SqlQueryRaw<AwardAuditRow>(
                """
                SELECT "At", "Subject", "Role", "PatientId", "Action", "Outcome", "Detail", "Purpose", "TraceId", "ClientAddress"
                FROM test_audit ORDER BY "Subject", "PatientId"
                """).ToListAsync();
        }
    }
}
