using Benefit.Fhir.Features;
using Benefit.Fhir.Sync;
using Benefit.Fhir.Tests.Support;
using static Benefit.Fhir.Tests.Support.FakeFhirHandler;

namespace Benefit.Fhir.Tests.Sync;

/// <summary>Paging and query shape against the in-process fake server.</summary>
public class PagingTests : FakeServerSyncTestBase
{
    [Fact]
    public async Task A_looping_next_link_ends_as_partial_with_a_clear_reason()
    {
        var fake = WithPatient().OnJson("/Observation", SearchSet("http://fhir.test/fhir/Observation?page=same", Weight("w1", 81)));

        var result = await SyncAsync(fake);

        Assert.Equal((SyncStatus.Partial, FhirSyncFailure.PagingLoop), (result.Status, result.Failure));
        Assert.Contains("repeated next link", result.Reason);
        AssertPreviousKept(result);
        Assert.Throws<FhirSyncException>(() => result.EnsureComplete());
    }

    [Fact]
    public async Task Next_links_are_followed_exactly_as_given()
    {
        const string opaque = "http://fhir.test/fhir?_getpages=9f3c&_getpagesoffset=2&_bundletype=searchset";
        var fake = WithPatient()
            .OnJson("_getpages=9f3c", SearchSet(null, Weight("w2", 80, "2026-02-01")))
            .OnJson("/Observation", SearchSet(opaque, Weight("w1", 81)));

        var result = await SyncAsync(fake);

        Assert.Equal((SyncStatus.Complete, 2), (result.Status, result.Fetched));
        Assert.Contains(fake.Requests, r => r.RequestUri!.ToString() == opaque);
        Assert.Equal(80m, result.Snapshot![FeatureNames.Weight]!.Value);
    }

    [Fact]
    public async Task The_search_asks_for_the_briefs_codes_newest_first_and_incrementally()
    {
        var fake = WithPatient().OnJson("/Observation", SearchSet(null));

        await SyncAsync(fake, null, ("IncrementalOverlap", "00:05:00"));

        var search = Uri.UnescapeDataString(fake.Requests.Single(r => r.RequestUri!.AbsolutePath.EndsWith("/Observation")).RequestUri!.Query);
        Assert.Contains("patient=Patient/p1", search);
        Assert.Contains("http://loinc.org|85354-9", search);
        Assert.Contains("http://loinc.org|55284-4", search);
        Assert.Contains("_sort=-date", search);
        Assert.Contains("_count=2", search);
        Assert.Contains("_lastUpdated=gt2026-01-01T08:55:00.000Z", search);
    }

    [Fact]
    public async Task A_full_resync_after_the_interval_drops_observations_the_server_deleted()
    {
        var fake = WithPatient().OnJson("/Observation", SearchSet(null, Weight("w1", 81)));
        var stale = Previous with
        {
            Observations = [new StoredObservation("deleted-on-server", "1", Obs.Day0, Weight("deleted-on-server", 70))],
            LastFullSyncAt = _clock.GetUtcNow().AddDays(-8),
        };

        var startedAt = _clock.GetUtcNow();

        var result = await SyncAsync(fake, stale);

        Assert.Equal((SyncStatus.Complete, 2), (result.Status, result.Changed));
        Assert.Equal(["w1"], result.State.Observations.Select(o => o.Id));
        Assert.Equal(startedAt, result.State.LastFullSyncAt);
        Assert.DoesNotContain("_lastUpdated", fake.Requests.Single(r => r.RequestUri!.AbsolutePath.EndsWith("/Observation")).RequestUri!.Query);
    }
}
