using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Benefit.Loyalty.Persistence;

/// <summary>Which database holds the ledger.</summary>
public enum LoyaltyDatabase
{
    Sqlite,
    Postgres,
}

/// <summary>Creates the provider's context from a pool (a disposed context is reset and reused); options are built once so EF's internal services are shared.</summary>
public sealed class LoyaltyDbFactory
{
    private readonly Func<LoyaltyDb> _create;
    private readonly string _connectionString;
    private readonly int _sqliteBusyTimeoutMilliseconds;

    public LoyaltyDbFactory(LoyaltyDatabase database, string connectionString, int sqliteBusyTimeoutMilliseconds = 10_000)
    {
        Database = database;
        _connectionString = connectionString;
        _sqliteBusyTimeoutMilliseconds = sqliteBusyTimeoutMilliseconds;
        if (database == LoyaltyDatabase.Sqlite)
        {
            WriteGate = new SemaphoreSlim(1, 1);
            var options = new DbContextOptionsBuilder<SqliteLoyaltyDb>()
                .UseSqlite(connectionString, o => o.MigrationsHistoryTable(LoyaltyDb.MigrationsHistoryTable))
                .AddInterceptors(new SqlitePragmas(sqliteBusyTimeoutMilliseconds))
                .Options;
            var pool = new PooledDbContextFactory<SqliteLoyaltyDb>(options);
            _create = pool.CreateDbContext;
        }
        else
        {
            var options = new DbContextOptionsBuilder<PostgresLoyaltyDb>()
                .UseNpgsql(connectionString, o => o.MigrationsHistoryTable(LoyaltyDb.MigrationsHistoryTable))
                .Options;
            var pool = new PooledDbContextFactory<PostgresLoyaltyDb>(options);
            _create = pool.CreateDbContext;
        }
    }

    public LoyaltyDatabase Database { get; }

    /// <summary>
    /// SQLite allows one writer at a time; queueing this process's writers here is fair and prompt, where SQLite's
    /// busy handler would poll with growing sleeps. Other processes still wait through busy_timeout. Null on PostgreSQL.
    /// </summary>
    internal SemaphoreSlim? WriteGate { get; }

    /// <summary>
    /// Waits for this process's turn to write to the SQLite file (see <see cref="WriteGate"/>); dispose the result to let the
    /// next writer in. Hosts that write other tables of the same file often (an audit trail, say) should queue here too.
    /// Returns at once on PostgreSQL.
    /// </summary>
    public async Task<IDisposable?> EnterWriteAsync(CancellationToken ct)
    {
        if (WriteGate is not { } gate) return null;
        await gate.WaitAsync(ct);
        return new GateRelease(gate);
    }

    private sealed class GateRelease(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
        }
    }

    public LoyaltyDb CreateDbContext() => _create();

    /// <summary>
    /// A SQLite connection of the caller's own, open, that keeps its commands prepared (<see cref="PreparedCommands"/>):
    /// for a writer that runs the same statements again and again. Dispose it with <see cref="CloseKept"/>.
    /// </summary>
    internal async Task<DbConnection> OpenKeptSqliteConnectionAsync()
    {
        if (Database != LoyaltyDatabase.Sqlite) throw new InvalidOperationException("Only SQLite connections are kept.");
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync();
            SqlitePragmas.Apply(connection, _sqliteBusyTimeoutMilliseconds);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        PreparedCommands.Keep(connection);
        return connection;
    }

    /// <summary>Disposes a connection from <see cref="OpenKeptSqliteConnectionAsync"/> and its kept commands.</summary>
    internal static async ValueTask CloseKept(DbConnection connection)
    {
        PreparedCommands.Forget(connection);
        await connection.DisposeAsync();
    }

    /// <summary>Applies pending migrations; on SQLite also switches the file to WAL so readers never block the writer.</summary>
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await using var db = CreateDbContext();
        await db.Database.MigrateAsync(ct);
        if (Database == LoyaltyDatabase.Sqlite)
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }

    /// <summary>Every SQLite connection waits for the write lock instead of failing at once.</summary>
    private sealed class SqlitePragmas(int busyTimeoutMilliseconds) : DbConnectionInterceptor
    {
        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection, busyTimeoutMilliseconds);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
        {
            Apply(connection, busyTimeoutMilliseconds);
            return Task.CompletedTask;
        }

        public static void Apply(DbConnection connection, int busyTimeoutMilliseconds)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA busy_timeout={busyTimeoutMilliseconds};";
            command.ExecuteNonQuery();
        }
    }
}
