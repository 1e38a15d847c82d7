using System.Net.Http.Headers;
using Benefit.Fhir.Bulk;
using Benefit.Fhir.Sources;
using Benefit.Fhir.Sync;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Benefit.Fhir;

public static class FhirServiceCollectionExtensions
{
    /// <summary>
    /// Registers the FHIR sync from the "Fhir" configuration section: the source (server when Fhir:BaseUrl is set, else the
    /// embedded bundles), the resilient HttpClient, <see cref="FhirSyncService"/>, <see cref="BulkExportClient"/> and, unless one
    /// is already registered, an in-memory <see cref="IObservationStore"/>.
    /// </summary>
    public static IServiceCollection AddFhirSync(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FhirSourceOptions>().Bind(configuration.GetSection(FhirSourceOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FhirSourceOptions>, FhirSourceOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IObservationStore, InMemoryObservationStore>();
        services.TryAddSingleton<SmartTokenClient>();
        services.AddHttpClient(SmartTokenClient.HttpClientName);
        services.AddTransient<StaticBearerHandler>();
        services.AddTransient<SmartBackendHandler>();
        services.AddTransient<NoAuthHandler>();

        var http = services.AddHttpClient<FhirServerSource>(FhirServerSource.HttpClientName, ConfigureClient);
        http.AddResilienceHandler("fhir", ConfigureResilience);
        // Added after the resilience handler so it runs inside it: every retry carries a (fresh) token.
        http.AddHttpMessageHandler(sp => sp.GetRequiredService<IOptions<FhirSourceOptions>>().Value.Auth switch
        {
            FhirAuthMode.Bearer => sp.GetRequiredService<StaticBearerHandler>(),
            FhirAuthMode.SmartBackend => sp.GetRequiredService<SmartBackendHandler>(),
            _ => sp.GetRequiredService<NoAuthHandler>(),
        });
        services.AddHttpClient<BulkExportClient>(FhirServerSource.HttpClientName);

        services.AddTransient<EmbeddedBundleSource>();
        services.AddTransient<IObservationSource>(sp => sp.GetRequiredService<IOptions<FhirSourceOptions>>().Value.UsesServer
            ? sp.GetRequiredService<FhirServerSource>()
            : sp.GetRequiredService<EmbeddedBundleSource>());
        services.AddTransient<FhirSyncService>();
        return services;
    }

    private static void ConfigureClient(IServiceProvider sp, HttpClient client)
    {
        var options = sp.GetRequiredService<IOptions<FhirSourceOptions>>().Value;
        // Firely ignores FhirClientSettings.Timeout for a supplied HttpClient; this bounds a request with all its retries.
        client.Timeout = options.TotalTimeout;
        if (options.UsesServer)
            client.BaseAddress = new Uri(options.BaseUrl!.TrimEnd('/') + "/");
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
    }

    /// <summary>Retry (safe methods only, exponential with jitter, honouring Retry-After) → circuit breaker → per-attempt timeout.</summary>
    private static void ConfigureResilience(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptions<FhirSourceOptions>>().Value;
        if (options.MaxRetries > 0)
        {
            var retry = new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
            };
            retry.DisableForUnsafeHttpMethods();
            pipeline.AddRetry(retry);
        }
        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            MinimumThroughput = options.CircuitMinimumThroughput,
            FailureRatio = 0.5,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = options.CircuitBreakDuration,
        });
        pipeline.AddTimeout(options.AttemptTimeout);
    }

    /// <summary>Pass-through so the handler chain has the same shape for every auth mode.</summary>
    private sealed class NoAuthHandler : DelegatingHandler;
}
