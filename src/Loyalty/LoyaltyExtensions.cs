using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Benefit.Loyalty;

/// <summary>Composition of the loyalty library for a host.</summary>
public static class LoyaltyExtensions
{
    /// <summary>
    /// Registers <see cref="PointsLedger"/> (singleton) and its database. <paramref name="provider"/> is "sqlite" or "postgres"
    /// (the API's <c>Database:Provider</c>); relative paths in the options should be made absolute by the host (content root).
    /// Invalid settings throw at once with a message naming the key.
    /// </summary>
    public static IServiceCollection AddLoyalty(this IServiceCollection services, string provider, string connectionString,
        Action<LoyaltyOptions>? configure = null) =>
        services.AddLoyalty(ParseProvider(provider), connectionString, configure);

    public static IServiceCollection AddLoyalty(this IServiceCollection services, LoyaltyDatabase database, string connectionString,
        Action<LoyaltyOptions>? configure = null)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException("Invalid loyalty configuration: ConnectionStrings:Benefit is required.");
        return services.AddLoyalty(_ => (database, connectionString), configure);
    }

    /// <summary>As above, for hosts that resolve the database (provider and connection string) from their own services.</summary>
    public static IServiceCollection AddLoyalty(this IServiceCollection services,
        Func<IServiceProvider, (LoyaltyDatabase Database, string ConnectionString)> database, Action<LoyaltyOptions>? configure = null)
    {
        var options = new LoyaltyOptions();
        configure?.Invoke(options);
        var problems = options.Validate();
        if (problems.Count > 0)
            throw new InvalidOperationException("Invalid loyalty configuration: " + string.Join(" ", problems));

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(sp =>
        {
            var (kind, connectionString) = database(sp);
            return new LoyaltyDbFactory(kind, connectionString, options.SqliteBusyTimeoutMilliseconds);
        });
        services.AddSingleton(_ => PointsRules.Load(options.RulesPath));
        services.AddSingleton<PointsLedger>();
        return services;
    }

    /// <summary>Creates or upgrades the loyalty tables (history in <c>__LoyaltyMigrations</c>); call once at start-up before serving.</summary>
    public static Task MigrateLoyaltyAsync(this IServiceProvider services, CancellationToken ct = default) =>
        services.GetRequiredService<LoyaltyDbFactory>().MigrateAsync(ct);

    public static LoyaltyDatabase ParseProvider(string provider) => provider.Trim().ToLowerInvariant() switch
    {
        "sqlite" => LoyaltyDatabase.Sqlite,
        "postgres" or "postgresql" or "npgsql" => LoyaltyDatabase.Postgres,
        _ => throw new InvalidOperationException($"Database:Provider '{provider}' is not supported; use 'sqlite' or 'postgres'."),
    };
}
