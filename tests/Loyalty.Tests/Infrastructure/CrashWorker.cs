using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Idempotency;
using Benefit.Loyalty.Persistence;
using Benefit.Loyalty.Redemptions;

namespace Benefit.Loyalty.Tests.Infrastructure;

/// <summary>
/// The process the crash test kills: awards and redeems in a loop and prints one line per acknowledged
/// operation, so the test knows exactly what a client was told had happened.
/// Usage: <c>dotnet Benefit.Loyalty.Tests.dll crash-worker sqlite|postgres "connection string" run-id</c>.
/// </summary>
public static class CrashWorker
{
    public const string Reward = "crash-reward";
    public static readonly string[] Patients = ["crash-1", "crash-2", "crash-3"];

    public static async Task<int> Main(string[] args)
    {
        if (args is not ["crash-worker", var provider, var connectionString, var runId])
            return 2;
        var ledger = new PointsLedger(new LoyaltyDbFactory(LoyaltyExtensions.ParseProvider(provider), connectionString),
            TestRules.Generous, new LoyaltyOptions(), TimeProvider.System);
        var output = Console.Out;
        for (var n = 0; ; n++)
        {
            var patient = Patients[n % Patients.Length];
            var key = new IdempotencyKey("crash", $"{runId}-{n}");
            if (n % 4 == 3)
            {
                try
                {
                    var redemption = await ledger.RedeemAsync(new RedemptionRequest(patient, Reward), key);
                    await output.WriteLineAsync($"redeemed {redemption.Id}");
                }
                catch (LedgerException e) when (e.Code == LedgerErrorCode.InsufficientPoints)
                {
                    await output.WriteLineAsync("refused");
                }
            }
            else
            {
                var award = await ledger.AwardAsync(new ActivityReport(patient, "crash-gym", key.Key, "twenty-five", TimeProvider.System.GetUtcNow()), key);
                await output.WriteLineAsync($"awarded {award.EntryId}");
            }
            await output.FlushAsync();
        }
    }
}
