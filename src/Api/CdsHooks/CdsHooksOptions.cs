using System.ComponentModel.DataAnnotations;

namespace Benefit.Api.CdsHooks;

public sealed class CdsHooksOptions
{
    public const string Section = "CdsHooks";

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
        services.AddOptions<CdsHooksOptions>().BindConfiguration(CdsHooksOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(CdsObservations.HttpClientName);
        services.AddScoped<CdsObservations>();
        return services;
    }
}
