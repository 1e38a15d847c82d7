using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;

namespace Benefit.Api.CdsHooks;

public sealed class CdsHooksOptions
{
    public const string SectionName = "CdsHooks";
    public const string CorsPolicy = "cds-hooks";

    /// <summary>Browser-based CDS clients (an EHR's web front end, the CDS Hooks sandbox) allowed to call the service; none by default.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>
    /// FHIR base URLs the service may read when a hook names a fhirServer without prefetch. Empty by default: the service
    /// then uses the patient's stored snapshot, so a request can never make it call an arbitrary address.
    /// </summary>
    public List<string> AllowedFhirServers { get; set; } = [];

    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan FhirTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>The EHR waits for the cards, so the read stops after this many search pages.</summary>
    [Range(1, 20)]
    public int MaxPages { get; set; } = 3;
}

public static class CdsHooksExtensions
{
    public static IServiceCollection AddCdsHooks(this IServiceCollection services)
    {
        services.AddOptions<CdsHooksOptions>().BindConfiguration(CdsHooksOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<CdsHooksOptions>>((cors, cds) => cors.AddPolicy(CdsHooksOptions.CorsPolicy, policy =>
            policy.WithOrigins([.. cds.Value.AllowedOrigins]).WithMethods("GET", "POST").WithHeaders("Authorization", "Content-Type")));
        services.AddHttpClient(CdsObservations.HttpClientName);
        services.AddScoped<CdsObservations>();
        return services;
    }
}
