using System.Buffers.Binary;
using System.Data.Common;
using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Persistence;
using Benefit.Loyalty.Tests.Infrastructure;

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
        var companion = new FailingCompanion("bad");
        await using var ledger = new PointsLedger(t.Dbs, t.Rules, t.Options, t.Clock, companion);
        Task<AwardResult> Award(string patient, string state) => ledger.AwardAsync(
            new ActivityReport(patient, "gym", Guid.NewGuid().ToString(), "ten", t.Clock.GetUtcNow()), t.NewKey(), companionState: state);

        // Warm the writer up (its connection and statements), then send a group with one award the companion refuses.
        Assert.Equal(AwardOutcome.Awarded, (await Award("p0", "ok")).Outcome);
        var first = new[] { "ok", "ok", "bad", "ok" }.Select((state, i) => Award($"p{i + 1}", state)).ToList();
        await Assert.ThrowsAsync<InvalidOperationException>(() => first[2]);
        var second = await Task.WhenAll(Enumerable.Range(5, 6).Select(i => Award($"p{i}", "ok")));

        Assert.All(first.Where(a => a != first[2]), a => Assert.Equal(AwardOutcome.Awarded, a.Result.Outcome));
        Assert.All(second, a => Assert.Equal(AwardOutcome.Awarded, a.Outcome));
        // The refused one went on alone: the single path commits the award, then fails writing its companion row.
        foreach (var patient in Enumerable.Range(0, 11).Select(i => $"p{i}"))
            Assert.Equal(10, (await ledger.GetStatementAsync(patient)).Balance);
        Assert.Equal(1, ledger.AwardGroups.Failed); // the groups after it are written as groups again
        Assert.Equal(10, companion.Written.Count(s => s == "ok"));
    }

    private static (uint Frames, uint Copied) ReadLogIndex(string shm)
    {
        using var file = new FileStream(shm, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var header = new byte[100];
        file.ReadExactly(header);
        return (BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(16)), BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(96)));
    }

    /// <summary>A companion that refuses awards whose state is <paramref name="refused"/>, failing their whole transaction.</summary>
    private sealed class FailingCompanion(string refused) : IAwardCompanion
    {
        public List<string> Written { get; } = [];

        public Task WriteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<(AwardResult Result, object State)> awards,
            CancellationToken ct)
        {
            if (awards.Any(a => (string)a.State == refused)) throw new InvalidOperationException("The companion refuses this award.");
            lock (Written) Written.AddRange(awards.Select(a => (string)a.State));
            return Task.CompletedTask;
        }
    }
}
