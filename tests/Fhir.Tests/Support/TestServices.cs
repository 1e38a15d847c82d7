using Benefit.Fhir.Sources;
using Benefit.Fhir.Sync;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Benefit.Fhir.Tests.Support;

/// <summary>Composes the library exactly as the API does (AddFhirSync), with a fake or real server underneath.</summary>
internal static class TestServices
{
    public const string FakeBase = "http://fhir.test/fhir";

    public static ServiceProvider Build(IDictionary<string, string?> settings, HttpMessageHandler? primary = null, TimeProvider? time = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        if (time is not null)
            services.AddSingleton(time);
        services.AddFhirSync(configuration);
        if (primary is not null)
        {
            services.AddHttpClient(FhirServerSource.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => primary);
            services.AddHttpClient(SmartTokenClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => primary);
        }
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>Settings for the fake server: small timeouts and one quick retry so fault tests stay fast.</summary>
    public static Dictionary<string, string?> FakeSettings(params (string Key, string Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Fhir:BaseUrl"] = FakeBase,
            ["Fhir:MaxRetries"] = "1",
            ["Fhir:RetryBaseDelay"] = "00:00:00.010",
            ["Fhir:AttemptTimeout"] = "00:00:02",
            ["Fhir:TotalTimeout"] = "00:00:30",
            ["Fhir:PageSize"] = "2",
        };
        foreach (var (key, value) in overrides)
            settings["Fhir:" + key] = value;
        return settings;
    }

    public static PatientLink Link(string fhirPatientId = "p1", string server = FakeBase) => new("benefit-" + fhirPatientId, server, fhirPatientId);

    /// <summary>Moves a fake clock forward in small steps until the task ends, so Polly and polling delays elapse without real waiting.</summary>
    public static async Task<T> RunWithClock<T>(FakeTimeProvider clock, Task<T> task, TimeSpan step, int maxSteps = 10_000)
    {
        for (var i = 0; i < maxSteps && !task.IsCompleted; i++)
        {
            await Task.Yield();
            await Task.Delay(1);
            clock.Advance(step);
        }
        return await task;
    }
}
