using System.Net;
using Benefit.Fhir.Features;
using Benefit.Fhir.Sync;
using Benefit.Fhir.Tests.Support;
using static Benefit.Fhir.Tests.Support.FakeFhirHandler;

namespace Benefit.Fhir.Tests.Sync;

/// <summary>Faults from an in-process fake server: every one ends with a clear status and keeps the previous snapshot.</summary>
public class SyncFaultTests : FakeServerSyncTestBase
{
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
}
