using Benefit.Loyalty.Persistence;
using Benefit.Loyalty.Rewards;
using Benefit.Loyalty.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Benefit.Loyalty.Tests;

public sealed class PersistenceTests
{
    [Theory, ClassData(typeof(BothProviders))]
    public async Task Migrations_create_prefixed_tables_with_their_own_history_and_can_run_again(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);

        await t.Dbs.MigrateAsync();

        await using var db = t.Dbs.CreateDbContext();
        var tables = database == LoyaltyDatabase.Sqlite
            ? await db.Database.SqlQuery<string>($"SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'table'").ToListAsync()
            : await db.Database.SqlQuery<string>($"SELECT table_name AS \"Value\" FROM information_schema.tables WHERE table_schema = 'public'").ToListAsync();
        Assert.Contains("__LoyaltyMigrations", tables);
        Assert.DoesNotContain("__EFMigrationsHistory", tables);
        Assert.All(tables.Where(n => !n.StartsWith("__") && !n.StartsWith("sqlite_")), n => Assert.StartsWith("loyalty_", n));
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges(), "the model changed without a migration");
    }

    [Fact]
    public async Task Sqlite_runs_in_wal_mode()
    {
        await using var t = await TestLedger.CreateAsync(LoyaltyDatabase.Sqlite);
        await using var db = t.Dbs.CreateDbContext();

        var mode = await db.Database.SqlQuery<string>($"PRAGMA journal_mode").ToListAsync();

        Assert.Equal("wal", mode.Single());
    }

    [Theory, ClassData(typeof(BothProviders))]
    public async Task Seeding_the_shipped_rewards_twice_keeps_the_stock_that_was_used(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        await t.AwardAsync("p1", "hundred");
        for (var i = 0; i < 30; i++) await t.AwardAsync("p1", "hundred", t.Clock.GetUtcNow().AddDays(-(i % 29)));

        var added = await t.Ledger.SeedRewardsAsync();
        await t.Ledger.RedeemAsync(new Redemptions.RedemptionRequest("p1", "sports-shop-voucher-20"), t.NewKey());
        var addedAgain = await t.Ledger.SeedRewardsAsync();

        var rewards = await t.Ledger.GetRewardsAsync();
        Assert.True(added >= 15);
        Assert.Equal(0, addedAgain);
        Assert.Equal(249, rewards.Single(r => r.Id == "sports-shop-voucher-20").Stock);
    }

    [Fact]
    public async Task The_reward_catalogue_has_at_least_fifteen_rewards_at_menzis_like_prices()
    {
        var rewards = await RewardsFile.LoadAsync(TestLedger.DataFile("rewards.json"));

        Assert.True(rewards.Count >= 15);
        Assert.All(rewards, r => Assert.InRange(r.PointCost, 500, 10_000));
        Assert.Equal(3000, rewards.Single(r => r.Id == "sports-shop-voucher-20").PointCost);
    }

    [Fact]
    public async Task AddLoyalty_composes_a_working_ledger_and_migrates_it()
    {
        var file = Path.Combine(Path.GetTempPath(), $"loyalty-di-{Guid.NewGuid():N}.db");
        var services = new ServiceCollection()
            .AddLoyalty("sqlite", $"Data Source={file}", o => o.RulesPath = TestLedger.DataFile("points-rules.json"))
            .BuildServiceProvider();

        await services.MigrateLoyaltyAsync();
        var ledger = services.GetRequiredService<PointsLedger>();

        Assert.Equal(0, (await ledger.GetStatementAsync("nobody")).Balance);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(file);
    }

    [Fact]
    public void AddLoyalty_refuses_bad_settings_naming_the_key()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            new ServiceCollection().AddLoyalty("sqlite", "Data Source=x.db", o => o.TimeZoneId = "Mars/Olympus"));

        Assert.Contains("Loyalty:TimeZoneId", error.Message);
        Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddLoyalty("oracle", "x"));
    }
}
