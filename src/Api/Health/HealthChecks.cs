using Benefit.Api.Data;
using Benefit.Api.Models;
using Benefit.Fhir;
using Benefit.Fhir.Sources;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Benefit.Api.Health;

public static class HealthChecks
{
    public const string Ready = "ready";

    public static IServiceCollection AddBenefitHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [Ready])
            .AddCheck<ModelHealthCheck>("model", tags: [Ready])
            .AddCheck<FhirSourceHealthCheck>("fhir-source", tags: [Ready]);
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

    /// <summary>Anyone (a load balancer) learns the status; only an operator (admin, data scientist) learns what lies behind it.</summary>
    private static Task WriteJson(HttpContext http, HealthReport report) =>
        http.User.IsInRole(Security.Roles.Admin) || http.User.IsInRole(Security.Roles.DataScientist)
            ? http.Response.WriteAsJsonAsync(new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description }),
            })
            : http.Response.WriteAsJsonAsync(new { status = report.Status.ToString() });
}

public sealed class DatabaseHealthCheck(BenefitDb db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy($"{db.Database.ProviderName} reachable")
            : HealthCheckResult.Unhealthy("Database unreachable");
}

public sealed class ModelHealthCheck(ModelServing serving) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(serving.Version is { } version
            ? HealthCheckResult.Healthy($"serving model {version}")
            : HealthCheckResult.Degraded("no model loaded: the guideline rules rank until one is trained"));
}

/// <summary>Asks the configured FHIR server for its CapabilityStatement; the embedded demo source needs no check.</summary>
public sealed class FhirSourceHealthCheck(IOptions<FhirSourceOptions> options, IHttpClientFactory clients) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.UsesServer)
            return HealthCheckResult.Healthy("embedded demo bundles");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using var response = await clients.CreateClient(FhirServerSource.HttpClientName).GetAsync("metadata", timeout.Token);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy($"{options.Value.BaseUrl} answered /metadata")
                : HealthCheckResult.Unhealthy($"{options.Value.BaseUrl} answered /metadata with {(int)response.StatusCode}");
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{options.Value.BaseUrl} did not answer: {ex.GetType().Name}");
        }
    }
}
