using Benefit.Api.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Benefit.Api.Health;

public static class HealthChecks
{
    public const string Ready = "ready";

    public static IServiceCollection AddBenefitHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapBenefitHealthChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).WithTags("Health");
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains(Ready),
            ResponseWriter = WriteJson,
        }).WithTags("Health");
        return app;
    }

    private static Task WriteJson(HttpContext http, HealthReport report) =>
        http.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description }),
        });
}

public sealed class DatabaseHealthCheck(BenefitDb db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy($"{db.Database.ProviderName} reachable")
            : HealthCheckResult.Unhealthy("Database unreachable");
}
