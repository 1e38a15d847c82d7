using Benefit.Fhir.Bulk;
using Benefit.Fhir.Features;
using Benefit.Fhir.Tests.Support;
using Observation = Hl7.Fhir.Model.Observation;
using Microsoft.Extensions.Time.Testing;

namespace Benefit.Fhir.Tests.Bulk;

public class BulkExportClientTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero));

    private (BulkExportClient Client, FakeBulkServer Server) Create(int pollsBeforeDone = 2, TimeSpan? maxWait = null)
    {
        var server = new FakeBulkServer(new FakeTimeProviderClock(_clock), pollsBeforeDone, TimeSpan.FromSeconds(120));
        var client = new BulkExportClient(new HttpClient(server) { BaseAddress = new Uri(FakeBulkServer.Base) }, _clock)
        {
            MaxWait = maxWait ?? TimeSpan.FromHours(1),
        };
        return (client, server);
    }

    [Fact]
    public async Task An_export_is_kicked_off_polled_as_retry_after_says_and_its_ndjson_parsed()
    {
        var (client, server) = Create();

        var result = await TestServices.RunWithClock(_clock, client.ExportGroupAsync("g1", ["Observation"], null), TimeSpan.FromSeconds(10));

        Assert.Equal(3, result.Resources.Count);
        Assert.Equal(1, result.UnreadableLines);
        Assert.Equal(3, server.Polls.Count);
        Assert.True(server.Polls[1] - server.Polls[0] >= TimeSpan.FromSeconds(120));
        Assert.True(server.Polls[2] - server.Polls[1] >= TimeSpan.FromSeconds(120));
        var kickOff = server.Requests[0];
        Assert.Equal("/fhir/Group/g1/$export", kickOff.RequestUri!.AbsolutePath);
        Assert.Equal("?_type=Observation", kickOff.RequestUri.Query);
    }

    [Fact]
    public async Task Exported_observations_map_to_features_per_patient_through_the_same_mapper()
    {
        var (client, _) = Create(pollsBeforeDone: 0);

        var result = await client.ExportGroupAsync("g1", ["Observation"], null);
        var byPatient = result.Resources.OfType<Observation>().GroupBy(o => o.Subject!.Reference!)
            .ToDictionary(g => g.Key, g => FeatureMapper.Map(g.Key, FakeBulkServer.Base, g, _clock.GetUtcNow()));

        Assert.Equal(81m, byPatient["Patient/a"][FeatureNames.Weight]!.Value);
        Assert.Equal(96m, byPatient["Patient/b"][FeatureNames.Weight]!.Value);
    }

    [Fact]
    public async Task The_since_parameter_is_sent_for_incremental_exports()
    {
        var (client, server) = Create(pollsBeforeDone: 0);

        await client.KickOffAsync("g1", ["Observation", "Patient"], new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal("?_type=Observation,Patient&_since=2026-10-01T00:00:00.000+00:00", Uri.UnescapeDataString(server.Requests[0].RequestUri!.Query));
    }

    [Fact]
    public async Task An_export_that_takes_longer_than_the_limit_ends_as_timeout()
    {
        var (client, _) = Create(pollsBeforeDone: 100, maxWait: TimeSpan.FromMinutes(5));

        var error = await Assert.ThrowsAsync<FhirSyncException>(() =>
            TestServices.RunWithClock(_clock, client.ExportGroupAsync("g1", ["Observation"], null), TimeSpan.FromSeconds(10)));

        Assert.Equal(FhirSyncFailure.Timeout, error.Reason);
    }

    [Fact]
    public async Task An_unknown_group_fails_with_a_clear_reason()
    {
        var (client, _) = Create();

        var error = await Assert.ThrowsAsync<FhirSyncException>(() => client.KickOffAsync("nope", ["Observation"], null));

        Assert.Equal(FhirSyncFailure.PatientNotFound, error.Reason);
        Assert.Contains("404", error.Message);
    }
}
