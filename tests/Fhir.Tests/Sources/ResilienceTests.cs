using System.Net;
using Benefit.Fhir.Sources;
using Benefit.Fhir.Sync;
using Benefit.Fhir.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static Benefit.Fhir.Tests.Support.FakeFhirHandler;

namespace Benefit.Fhir.Tests.Sources;

public class ResilienceTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task The_circuit_opens_after_a_few_failures_and_then_spares_the_server()
    {
        var fake = new FakeFhirHandler().OnJson("/Patient/", Outcome("down"), HttpStatusCode.InternalServerError);
        using var services = TestServices.Build(TestServices.FakeSettings(("MaxRetries", "0"), ("CircuitMinimumThroughput", "3")), fake, _clock);
        var sync = services.GetRequiredService<FhirSyncService>();

        var results = new List<SyncResult>();
        for (var i = 0; i < 5; i++)
            results.Add(await sync.SyncPatientAsync(TestServices.Link($"p{i}"), null));

        Assert.All(results.Take(3), r => Assert.Equal(FhirSyncFailure.UpstreamError, r.Failure));
        Assert.All(results.Skip(3), r => Assert.Equal(FhirSyncFailure.CircuitOpen, r.Failure));
        Assert.Equal(3, fake.Requests.Count);
    }

    [Fact]
    public async Task Posts_are_never_retried()
    {
        var fake = new FakeFhirHandler().On(_ => true, (_, _) => Task.FromResult(Json(Outcome("down"), HttpStatusCode.ServiceUnavailable)));
        using var services = TestServices.Build(TestServices.FakeSettings(("MaxRetries", "3")), fake, _clock);
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(FhirServerSource.HttpClientName);

        using var response = await TestServices.RunWithClock(_clock, http.PostAsync("Observation", new StringContent("{}")), TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task A_static_bearer_token_is_sent_with_every_request()
    {
        var fake = new FakeFhirHandler().OnJson("/Patient/p1", PatientJson).OnJson("/Observation", SearchSet(null));
        using var services = TestServices.Build(TestServices.FakeSettings(("Auth", "Bearer"), ("BearerToken", "s3cret")), fake, _clock);

        await services.GetRequiredService<FhirSyncService>().SyncPatientAsync(TestServices.Link(), null);

        Assert.All(fake.Requests, r => Assert.Equal("Bearer s3cret", r.Headers.Authorization?.ToString()));
        Assert.All(fake.Requests, r => Assert.Contains("application/fhir+json", r.Headers.Accept.ToString()));
    }

    [Theory]
    [InlineData("BaseUrl", "not a url", "Fhir:BaseUrl")]
    [InlineData("PageSize", "0", "Fhir:PageSize")]
    [InlineData("AttemptTimeout", "00:05:00", "Fhir:AttemptTimeout")]
    [InlineData("Auth", "Bearer", "Fhir:BearerToken")]
    [InlineData("Auth", "SmartBackend", "Fhir:Smart:TokenEndpoint")]
    [InlineData("CircuitMinimumThroughput", "1", "Fhir:CircuitMinimumThroughput")]
    public void A_bad_setting_is_rejected_with_the_name_of_its_key(string key, string value, string named)
    {
        using var services = TestServices.Build(TestServices.FakeSettings((key, value)));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<FhirSourceOptions>>().Value);

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void Without_a_base_url_the_embedded_source_is_used()
    {
        using var services = TestServices.Build(new Dictionary<string, string?> { ["Fhir:EmbeddedBundleFolder"] = "/tmp" });

        Assert.IsType<EmbeddedBundleSource>(services.GetRequiredService<IObservationSource>());
    }

    [Fact]
    public void Every_public_service_resolves_from_the_composition()
    {
        using var services = TestServices.Build(TestServices.FakeSettings());

        Assert.IsType<FhirServerSource>(services.GetRequiredService<IObservationSource>());
        Assert.NotNull(services.GetRequiredService<FhirSyncService>());
        Assert.NotNull(services.GetRequiredService<Benefit.Fhir.Bulk.BulkExportClient>());
        Assert.IsType<InMemoryObservationStore>(services.GetRequiredService<IObservationStore>());
    }
}
