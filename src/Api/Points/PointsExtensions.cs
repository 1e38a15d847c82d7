using Benefit.Api.Audit;
using Benefit.Api.Data;
using Benefit.Loyalty;
using Benefit.Loyalty.Activities;
using Benefit.Recommender.Catalog;
using Microsoft.Extensions.Options;

namespace Benefit.Api.Points;

public static class PointsExtensions
{
    /// <summary>The ledger on the API's database (own tables and migrations history), settings from the <c>Loyalty</c> section.</summary>
    public static IHostApplicationBuilder AddPointsApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddLoyalty(
            sp =>
            {
                var connection = sp.GetRequiredService<DatabaseExtensions.BenefitConnection>();
                return (LoyaltyExtensions.ParseProvider(connection.Provider), connection.ConnectionString);
            },
            o =>
            {
                builder.Configuration.GetSection(LoyaltyOptions.SectionName).Bind(o);
                o.RulesPath = BesideApp(o.RulesPath);
                o.RewardsPath = BesideApp(o.RewardsPath);
            });
        builder.Services.AddSingleton<IAwardCompanion, AwardAuditCompanion>();
        builder.Services.AddOptions<ProviderInterventionsOptions>().BindConfiguration(ProviderInterventionsOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => ProviderInterventions.Load(
            BesideApp(sp.GetRequiredService<IOptions<ProviderInterventionsOptions>>().Value.Path), sp.GetRequiredService<InterventionCatalog>()));
        builder.Services.AddHostedService<LoyaltyStartup>();
        return builder;
    }

    // The build copies data/ next to the app, so relative paths mean "beside the app".
    private static string BesideApp(string path) => Path.IsPathRooted(path) ? path : Path.Combine(AppContext.BaseDirectory, path);

    /// <summary>
    /// Migrates the loyalty tables and seeds the reward shop before the server takes requests; the rules and the provider
    /// interventions load here too, so a broken file (or one naming an intervention not in the catalogue) stops start-up.
    /// </summary>
    private sealed class LoyaltyStartup(IServiceProvider services, PointsLedger ledger) : IHostedService
    {
        public async Task StartAsync(CancellationToken ct)
        {
            _ = services.GetRequiredService<ProviderInterventions>();
            await services.MigrateLoyaltyAsync(ct);
            await ledger.SeedRewardsAsync(ct: ct);
        }

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    }
}
