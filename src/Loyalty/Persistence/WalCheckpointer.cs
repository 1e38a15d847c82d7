using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Benefit.Loyalty.Persistence;

/// <summary>
/// Copies committed pages from SQLite's write-ahead log into the database file on a connection of its own, while the
/// award writer goes on writing. Left to itself the writer's commit does that copy (and the fsync of the database file that
/// follows) every 1,000 pages of log, and every request waiting for that commit, or queued behind it, waits for the copy too.
/// These passes are PASSIVE: they never wait for the writer or a reader. The writer's own automatic checkpoint still runs,
/// but finds little left to copy, and it is what lets the log start again from the beginning.
/// A pass starts after a commit is signalled, at most one per <c>pace</c>; an idle ledger costs nothing.
/// </summary>
internal sealed class WalCheckpointer : IAsyncDisposable
{
    private readonly Channel<bool> _commits = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Task _loop;

    public WalCheckpointer(LoyaltyDbFactory dbs, TimeSpan pace, ILogger? logger) => _loop = Task.Run(() => RunAsync(dbs, pace, logger));

    /// <summary>Tells the checkpointer the log has grown.</summary>
    public void Committed() => _commits.Writer.TryWrite(true);

    private async Task RunAsync(LoyaltyDbFactory dbs, TimeSpan pace, ILogger? logger)
    {
        DbConnection? connection = null;
        DbCommand? checkpoint = null; // one statement, compiled once for the connection's life
        try
        {
            while (await _commits.Reader.WaitToReadAsync())
            {
                _commits.Reader.TryRead(out _);
                try
                {
                    if (connection is null)
                    {
                        connection = await dbs.OpenKeptSqliteConnectionAsync();
                        checkpoint = connection.CreateCommand();
                        checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                    }
                    await checkpoint!.ExecuteNonQueryAsync();
                }
                catch (Exception e)
                {
                    logger?.LogWarning(e, "A background WAL checkpoint failed; the writer's own checkpoints go on");
                    if (checkpoint is not null) await checkpoint.DisposeAsync();
                    if (connection is not null) await LoyaltyDbFactory.CloseKept(connection);
                    (connection, checkpoint) = (null, null);
                }
                await Task.Delay(pace, TimeProvider.System); // pacing disk work, not ledger time: a test's fake clock must not stall it
            }
        }
        finally
        {
            if (checkpoint is not null) await checkpoint.DisposeAsync();
            if (connection is not null) await LoyaltyDbFactory.CloseKept(connection);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _commits.Writer.TryComplete();
        await _loop;
    }
}
