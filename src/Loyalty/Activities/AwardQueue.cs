using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Benefit.Loyalty.Idempotency;
using Benefit.Loyalty.Persistence;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Stopwatch = System.Diagnostics.Stopwatch;

namespace Benefit.Loyalty.Activities;

/// <summary>
/// Group commit for awards. Reports queue up; a writer takes everything waiting (up to <see cref="MaxGroup"/>) and writes it
/// in one transaction (<see cref="AwardGroupWriter"/>), so a burst of awards costs one durable commit instead of one (or two)
/// per award. Each answer is released only after its group committed. What a group leaves out, and a group that fails as a
/// whole, go one report at a time through <see cref="SingleAwards"/>, which claims the key first. On SQLite one writer takes
/// groups; on PostgreSQL two do, locking their accounts in patient order.
/// </summary>
internal sealed class AwardQueue : IAsyncDisposable
{
    private const int MaxGroup = 256;

    /// <summary>At most one background checkpoint per this long (probes in docs/benchmarks.md).</summary>
    private static readonly TimeSpan WalCheckpointPace = TimeSpan.FromMilliseconds(5);

    private static readonly Meter Meter = new(PointsLedger.MeterName);
    private static readonly Histogram<int> GroupSize = Meter.CreateHistogram<int>("benefit.points.award_group.size", "{award}", "Awards written in one transaction");
    private static readonly Histogram<double> GroupTime = Meter.CreateHistogram<double>("benefit.points.award_group.duration", "ms", "From taking the write gate to commit");

    private readonly LoyaltyDbFactory _dbs;
    private readonly AwardGroupWriter _groups;
    private readonly SingleAwards _single;
    private readonly ILogger? _logger;
    private readonly Channel<PendingAward> _queue = Channel.CreateUnbounded<PendingAward>();
    private readonly ConcurrentDictionary<IdempotencyKey, byte> _keysInFlight = new();
    private readonly Lazy<Task> _writers;
    /// <summary>SQLite: copies the log into the database file beside the writer (see <see cref="WalCheckpointer"/>).</summary>
    private readonly Lazy<WalCheckpointer> _walCheckpointer;
    private long _written;
    private long _failed;

    public AwardQueue(LoyaltyDbFactory dbs, AwardGroupWriter groups, SingleAwards single, int? writers, ILogger? logger)
    {
        (_dbs, _groups, _single, _logger) = (dbs, groups, single, logger);
        var count = writers ?? (dbs.Database == LoyaltyDatabase.Sqlite ? 1 : 2);
        _walCheckpointer = new Lazy<WalCheckpointer>(() => new WalCheckpointer(dbs, WalCheckpointPace, logger));
        _writers = new Lazy<Task>(() => Task.WhenAll(Enumerable.Range(0, count).Select(_ => Task.Run(WriteGroupsAsync))));
    }

    /// <summary>Groups committed, and groups that failed as a whole and were written one by one.</summary>
    public (long Written, long Failed) Groups => (Interlocked.Read(ref _written), Interlocked.Read(ref _failed));

    /// <summary>Queues the report and returns its answer once its group committed.</summary>
    public async Task<AwardResult> AwardAsync(ActivityReport report, IdempotencyKey key, AwardReporter? reporter, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        // A second request with a key this process is still working on; other processes find the key in the table.
        if (!_keysInFlight.TryAdd(key, 0)) throw IdempotentWrites.InFlight(key);
        try
        {
            var pending = new PendingAward(report, key, reporter);
            _ = _writers.Value;
            await _queue.Writer.WriteAsync(pending, CancellationToken.None);
            // Once queued the award goes ahead even if the caller gives up: a retry with the same key gets its result.
            return await pending.Done.Task;
        }
        finally
        {
            _keysInFlight.TryRemove(key, out _);
        }
    }

    /// <summary>Stops taking awards once the queued ones are written.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_writers.IsValueCreated) await _writers.Value;
        if (_walCheckpointer.IsValueCreated) await _walCheckpointer.Value.DisposeAsync();
    }

    private async Task WriteGroupsAsync()
    {
        var group = new List<PendingAward>(MaxGroup);
        var connection = new KeptConnection();
        try
        {
            while (await _queue.Reader.WaitToReadAsync())
            {
                while (group.Count < MaxGroup && _queue.Reader.TryRead(out var pending)) group.Add(pending);
                try
                {
                    await WriteGroupAsync(group, connection);
                }
                catch (Exception e)
                {
                    foreach (var pending in group) pending.Done.TrySetException(e);
                }
                group.Clear();
            }
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    /// <summary>
    /// A writer's own SQLite connection, kept open between groups so that a group's statements are compiled once
    /// (<see cref="PreparedCommands"/>); dropped after a failure. PostgreSQL writers take a pooled connection per group:
    /// Npgsql keeps prepared statements on the pooled connection itself.
    /// </summary>
    private sealed class KeptConnection
    {
        public DbConnection? Sqlite { get; set; }

        public async ValueTask CloseAsync()
        {
            if (Sqlite is { } connection) await LoyaltyDbFactory.CloseKept(connection);
            Sqlite = null;
        }
    }

    private async Task WriteGroupAsync(List<PendingAward> group, KeptConnection connection)
    {
        List<(PendingAward Award, AwardResult Result)> written;
        List<PendingAward> alone;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var gate = await _dbs.EnterWriteAsync(CancellationToken.None);
                var started = Stopwatch.GetTimestamp();
                if (_dbs.Database == LoyaltyDatabase.Sqlite)
                {
                    connection.Sqlite ??= await _dbs.OpenKeptSqliteConnectionAsync();
                    await using var tx = await connection.Sqlite.BeginTransactionAsync();
                    (written, alone) = await _groups.WriteAsync(tx, group);
                    await tx.CommitAsync();
                    _walCheckpointer.Value.Committed();
                }
                else
                {
                    await using var db = _dbs.CreateDbContext();
                    db.Database.AutoSavepointsEnabled = false;
                    await using var tx = await db.Database.BeginTransactionAsync();
                    (written, alone) = await _groups.WriteAsync(tx.GetDbTransaction(), group);
                    await tx.CommitAsync();
                }
                Interlocked.Increment(ref _written);
                GroupTime.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                GroupSize.Record(group.Count);
                break;
            }
            catch (Exception e) when (attempt < DbErrors.MaxAttempts && DbErrors.IsTransient(e))
            {
                await connection.CloseAsync();
            }
            catch (Exception e)
            {
                await connection.CloseAsync();
                // Nothing of the group was committed; each report gets its own transaction, so one bad report fails alone.
                _logger?.LogWarning(e, "A group of {Count} awards failed as a whole; writing them one by one", group.Count);
                Interlocked.Increment(ref _failed);
                (written, alone) = ([], group);
                break;
            }
        }
        foreach (var (award, result) in written) award.Done.TrySetResult(result);
        foreach (var award in alone)
        {
            try
            {
                award.Done.TrySetResult(await _single.AwardAsync(award.Report, award.Key, award.Reporter, CancellationToken.None));
            }
            catch (Exception e)
            {
                award.Done.TrySetException(e);
            }
        }
    }
}
