using System.Diagnostics;
using Benefit.Loyalty.Persistence;
using Benefit.Loyalty.Redemptions;
using Benefit.Loyalty.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Loyalty.Tests;

public sealed class CrashTests
{
    [Theory, ClassData(typeof(BothProviders))]
    public async Task Killing_the_process_mid_stream_loses_no_acknowledged_operation_and_keeps_the_books(LoyaltyDatabase database)
    {
        await using var t = await TestLedger.CreateAsync(database);
        await t.Ledger.SeedRewardsAsync([new Rewards.Reward
        {
            Id = CrashWorker.Reward, Name = "crash", Description = "crash", Category = "test", PointCost = 40, InitialStock = 100_000, Partner = "test",
        }]);
        var connectionString = await ConnectionStringAsync(t);
        var random = new Random(20261128);
        var awarded = new List<long>();
        var redeemed = new List<Guid>();

        for (var run = 0; run < 3; run++)
        {
            var acknowledged = await RunAndKillAsync(database, connectionString, $"run{run}", killAfter: random.Next(3, 60));
            awarded.AddRange(acknowledged.Where(l => l.StartsWith("awarded ")).Select(l => long.Parse(l[8..])));
            redeemed.AddRange(acknowledged.Where(l => l.StartsWith("redeemed ")).Select(l => Guid.Parse(l[9..])));
        }

        await using var db = t.Dbs.CreateDbContext();
        if (database == LoyaltyDatabase.Sqlite)
            Assert.Equal("ok", (await db.Database.SqlQuery<string>($"PRAGMA integrity_check").ToListAsync()).Single());
        var entries = await db.Entries.Select(e => e.Id).ToListAsync();
        Assert.All(awarded, id => Assert.Contains(id, entries));
        var confirmed = await db.Reservations.Where(r => r.Status == ReservationStatus.Confirmed).Select(r => r.Id).ToListAsync();
        Assert.All(redeemed, id => Assert.Contains(id, confirmed));
        Assert.True(awarded.Count >= 5, $"only {awarded.Count} awards acknowledged");
        foreach (var patient in CrashWorker.Patients)
        {
            var audit = await t.Ledger.AuditAccountAsync(patient);
            Assert.True(audit.IsConsistent, $"{patient}: {audit}");
        }
    }

    private static async Task<List<string>> RunAndKillAsync(LoyaltyDatabase database, string connectionString, string runId, int killAfter)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { typeof(CrashWorker).Assembly.Location, "crash-worker", database.ToString(), connectionString, runId })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var lines = new List<string>();
        try
        {
            while (lines.Count < killAfter && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                lines.Add(line);
        }
        finally
        {
            process.Kill(entireProcessTree: true); // SIGKILL: no finally blocks, no flushing, like kill -9
            await process.WaitForExitAsync(CancellationToken.None);
        }
        Assert.True(lines.Count == killAfter, $"worker stopped early: {await process.StandardError.ReadToEndAsync()}");
        return lines;
    }

    private static async Task<string> ConnectionStringAsync(TestLedger t)
    {
        await using var db = t.Dbs.CreateDbContext();
        return db.Database.GetConnectionString()!;
    }
}
