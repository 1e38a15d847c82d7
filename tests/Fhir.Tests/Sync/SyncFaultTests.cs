using System.Net;
using Benefit.Fhir.Features;
using Benefit.Fhir.Sync;
using Benefit.Fhir.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Benefit.Fhir.Tests.Support.FakeFhirHandler;

namespace Benefit.Fhir.Tests.Sync;

/// <summary>Faults from an in-process fake server: every one ends with a clear status and keeps the previous snapshot.</summary>
public class SyncFaultTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero));

    private static readonly FeatureSnapshot PreviousSnapshot = FeatureMapper.Map("benefit-p1", TestServices.FakeBase, [Obs.Quantity("29463-7", 77, "kg", id: "old")], Obs.Day0);

    private static PatientSyncState Previous => PatientSyncState.Empty("benefit-p1") with { Snapshot = PreviousSnapshot, SyncMark = Obs.Day0 };

    private async Task<SyncResult> SyncAsync(FakeFhirHandler fake, PatientSyncState? previous = null, params (string, string)[] settings)
    {
        using var services = TestServices.Build(TestServices.FakeSettings(settings), fake, _clock);
        var task = services.GetRequiredService<FhirSyncService>().SyncPatientAsync(TestServices.Link(), previous ?? Previous);
        return await TestServices.RunWithClock(_clock, task, TimeSpan.FromMilliseconds(250));
    }

    private static FakeFhirHandler WithPatient() => new FakeFhirHandler().OnJson("/Patient/p1", PatientJson);

    private static void AssertPreviousKept(SyncResult result)
    {
        Assert.NotEqual(SyncStatus.Complete, result.Status);
        Assert.Same(PreviousSnapshot, result.Snapshot);
        Assert.False(result.SnapshotIsCurrent);
        Assert.Same(PreviousSnapshot, result.State.Snapshot);
        Assert.Equal(result.Status, result.State.LastStatus);
    }

    [Fact]
    public async Task Malformed_json_fails_the_sync_and_keeps_the_previous_snapshot()
    {
        var fake = WithPatient().OnJson("/Observation", """{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Observ""");

        var result = await SyncAsync(fake);

        Assert.Equal((SyncStatus.Failed, FhirSyncFailure.MalformedResponse), (result.Status, result.Failure));
        AssertPreviousKept(result);
        Assert.Equal(502, FhirSyncException.StatusCodeFor(result.Failure));
    }

    [Fact]
    public async Task Unexpected_resource_types_in_a_bundle_are_skipped_and_counted()
    {
        var condition = """{"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"}}""";
        var fake = WithPatient().OnJson("/Observation", SearchSet(null, Weight("w1", 81), condition));

        var result = await SyncAsync(fake);

        Assert.Equal(SyncStatus.Complete, result.Status);
        Assert.Equal(81m, result.Snapshot![FeatureNames.Weight]!.Value);
        Assert.Equal(1, result.SkippedByReason[SkipReasons.NotAnObservation]);
        Assert.Equal((2, 1, 1), (result.Fetched, result.Changed, result.Skipped));
    }

    [Fact]
    public async Task Observations_without_value_or_with_an_unknown_unit_are_skipped_with_reasons()
    {
        var noValue = """{"resourceType":"Observation","id":"nv","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},"effectiveDateTime":"2026-01-01"}""";
        var fake = WithPatient().OnJson("/Observation", SearchSet(null, Weight("w1", 81), Weight("stone", 12, unit: "[stone_av]"), noValue));

        var result = await SyncAsync(fake);

        Assert.Equal(SyncStatus.Complete, result.Status);
        Assert.Equal(81m, result.Snapshot![FeatureNames.Weight]!.Value);
        Assert.Equal(1, result.SkippedByReason[SkipReasons.UnknownUnit]);
        Assert.Equal(1, result.SkippedByReason[SkipReasons.NoValue]);
    }

    [Fact]
    public async Task An_unknown_patient_fails_with_404()
    {
        var fake = new FakeFhirHandler().OnJson("/Patient/p1", Outcome("not found"), HttpStatusCode.NotFound);

        var result = await SyncAsync(fake);

        Assert.Equal((SyncStatus.Failed, FhirSyncFailure.PatientNotFound), (result.Status, result.Failure));
        Assert.Equal(404, FhirSyncException.StatusCodeFor(result.Failure));
        AssertPreviousKept(result);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, FhirSyncFailure.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden, FhirSyncFailure.Forbidden)]
    public async Task Auth_refusals_fail_without_retrying(HttpStatusCode status, FhirSyncFailure failure)
    {
        var fake = new FakeFhirHandler().OnJson("/Patient/p1", Outcome("no"), status);

        var result = await SyncAsync(fake);

        Assert.Equal((SyncStatus.Failed, failure), (result.Status, result.Failure));
        Assert.Equal(1, fake.Count("/Patient/p1"));
        AssertPreviousKept(result);
    }

    [Fact]
    public async Task A_429_is_retried_after_the_retry_after_delay()
    {
        var times = new List<DateTimeOffset>();
        var fake = new FakeFhirHandler().On("/Patient/p1", _ =>
        {
            times.Add(_clock.GetUtcNow());
            var response = Json(times.Count == 1 ? Outcome("slow down") : PatientJson, times.Count == 1 ? HttpStatusCode.TooManyRequests : HttpStatusCode.OK);
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(20));
            return response;
        }).OnJson("/Observation", SearchSet(null, Weight("w1", 81)));

        var result = await SyncAsync(fake);

        Assert.Equal(SyncStatus.Complete, result.Status);
        Assert.Equal(2, times.Count);
        Assert.True(times[1] - times[0] >= TimeSpan.FromSeconds(20), $"retried after {times[1] - times[0]}");
    }

    [Fact]
    public async Task A_429_that_persists_ends_as_rate_limited()
    {
        var fake = new FakeFhirHandler().OnJson("/Patient/p1", Outcome("slow down"), HttpStatusCode.TooManyRequests);

        var result = await SyncAsync(fake);

        Assert.Equal((SyncStatus.Failed, FhirSyncFailure.RateLimited), (result.Status, result.Failure));
        Assert.Equal(2, fake.Count("/Patient/p1"));
    }

    [Fact]
    public async Task A_5xx_is_retried_then_fails_as_upstream_error()
    {
        var fake = new FakeFhirHandler().OnJson("/Patient/p1", Outcome("boom"), HttpStatusCode.ServiceUnavailable);

        var result = await SyncAsync(fake);

        Assert.Equal((SyncStatus.Failed, FhirSyncFailure.UpstreamError), (result.Status, result.Failure));
        Assert.Equal(2, fake.Count("/Patient/p1"));
        AssertPreviousKept(result);
    }

    [Fact]
    public async Task A_5xx_on_a_later_page_ends_as_partial_and_does_not_replace_the_snapshot()
    {
        var fake = WithPatient()
            .OnJson("_page=2", Outcome("boom"), HttpStatusCode.InternalServerError)
            .OnJson("/Observation", SearchSet("http://fhir.test/fhir?_page=2", Weight("w1", 81)));

        var result = await SyncAsync(fake);

        Assert.Equal((SyncStatus.Partial, FhirSyncFailure.UpstreamError), (result.Status, result.Failure));
        Assert.Equal(1, result.Fetched);
        AssertPreviousKept(result);
        Assert.Empty(result.State.Observations);
    }

    [Fact]
    public async Task A_response_slower_than_the_timeout_ends_as_timeout()
    {
        var fake = new FakeFhirHandler().On(_ => true, async (_, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return Json(PatientJson);
        });

        var result = await SyncAsync(fake, null, ("AttemptTimeout", "00:00:01"));

        Assert.Equal((SyncStatus.Failed, FhirSyncFailure.Timeout), (result.Status, result.Failure));
        Assert.Equal(504, FhirSyncException.StatusCodeFor(result.Failure));
        AssertPreviousKept(result);
    }

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
}
