using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Idempotency;
using Benefit.Loyalty.Persistence;
using Benefit.Loyalty.Rewards;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Benefit.Loyalty.Tests.Infrastructure;

/// <summary>A ledger on a fresh database of its own (a temp SQLite file, or a new PostgreSQL database) with a fake clock.</summary>
public sealed class TestLedger : IAsyncDisposable
{
    public const string PostgresVariable = "BENEFIT_TEST_POSTGRES";
    public static readonly DateTimeOffset Start = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly Func<Task> _drop;
    private int _keys;

    private TestLedger(LoyaltyDbFactory dbs, LoyaltyOptions options, PointsRules rules, FakeTimeProvider clock, Func<Task> drop)
    {
        (Dbs, Options, Rules, Clock, _drop) = (dbs, options, rules, clock, drop);
        Ledger = new PointsLedger(dbs, rules, options, clock);
    }

    public LoyaltyDbFactory Dbs { get; }
    public LoyaltyOptions Options { get; }
    public PointsRules Rules { get; }
    public FakeTimeProvider Clock { get; }
    public PointsLedger Ledger { get; }

    /// <summary>Another ledger on the same database with its own clock (for independent property-test runs).</summary>
    public PointsLedger WithClock(TimeProvider clock) => new(Dbs, Rules, Options, clock);

    public IdempotencyKey NewKey() => new("test", $"key-{Interlocked.Increment(ref _keys)}");

    public static async Task<TestLedger> CreateAsync(LoyaltyDatabase database, PointsRules? rules = null, DateTimeOffset? start = null,
        Action<LoyaltyOptions>? options = null)
    {
        var settings = new LoyaltyOptions
        {
            RulesPath = DataFile("points-rules.json"),
            RewardsPath = DataFile("rewards.json"),
        };
        options?.Invoke(settings);
        var clock = new FakeTimeProvider(start ?? Start);
        var (connectionString, drop) = database == LoyaltyDatabase.Sqlite ? NewSqliteFile() : await NewPostgresDatabaseAsync();
        var dbs = new LoyaltyDbFactory(database, connectionString, settings.SqliteBusyTimeoutMilliseconds);
        await dbs.MigrateAsync();
        return new TestLedger(dbs, settings, rules ?? TestRules.Generous, clock, drop)
        {
            _sqliteFile = database == LoyaltyDatabase.Sqlite ? new SqliteConnectionStringBuilder(connectionString).DataSource : null,
        };
    }

    public static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    /// <summary>Adds a reward with the given cost and stock under a fresh id.</summary>
    public async Task<string> AddRewardAsync(int pointCost, int stock)
    {
        var id = "reward-" + Guid.NewGuid().ToString("N")[..12];
        await Ledger.SeedRewardsAsync([new Reward
        {
            Id = id, Name = id, Description = "test reward", Category = "test", PointCost = pointCost, InitialStock = stock, Partner = "test",
        }]);
        return id;
    }

    /// <summary>Awards points through the rules (Generous: types "ten", "twenty-five", "forty", "hundred").</summary>
    public Task<AwardResult> AwardAsync(string patientId, string type = "hundred", DateTimeOffset? occurredAt = null,
        ActivitySource source = ActivitySource.VerifiedProvider, string provider = "gym") =>
        Ledger.AwardAsync(new ActivityReport(patientId, provider, Guid.NewGuid().ToString(), type, occurredAt ?? Clock.GetUtcNow(), source), NewKey());

    /// <summary>The database file on SQLite (its log is this plus "-wal", the log's index this plus "-shm"); null on PostgreSQL.</summary>
    public string? SqliteFile => Dbs.Database == LoyaltyDatabase.Sqlite ? _sqliteFile : null;

    private string? _sqliteFile;

    public async ValueTask DisposeAsync()
    {
        await Ledger.DisposeAsync();
        await _drop();
    }

    private static (string, Func<Task>) NewSqliteFile()
    {
        var dir = Path.Combine(Path.GetTempPath(), "benefit-loyalty-tests");
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".db");
        var connectionString = $"Data Source={file}";
        return (connectionString, () =>
        {
            using (var connection = new SqliteConnection(connectionString)) SqliteConnection.ClearPool(connection);
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(file + suffix);
            return Task.CompletedTask;
        });
    }

    private static async Task<(string, Func<Task>)> NewPostgresDatabaseAsync()
    {
        var server = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(server))
            throw new InvalidOperationException(
                $"PostgreSQL tests need {PostgresVariable} (e.g. Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres); ./test.sh starts a server and sets it.");
        var name = "loyalty_test_" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        return (connectionString, async () =>
        {
            await using (var connection = new NpgsqlConnection(connectionString)) NpgsqlConnection.ClearPool(connection);
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        });
    }
}
