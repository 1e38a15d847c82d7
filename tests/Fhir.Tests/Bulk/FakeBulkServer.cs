using System.Net;
using System.Text;
using Benefit.Fhir.Tests.Support;

namespace Benefit.Fhir.Tests.Bulk;

/// <summary>An in-process Bulk Data server following the IG: async kick-off, 202 polling with Retry-After, manifest, NDJSON files.</summary>
internal sealed class FakeBulkServer(FakeTimeProviderClock clock, int pollsBeforeDone, TimeSpan retryAfter) : HttpMessageHandler
{
    public const string Base = "http://bulk.test/fhir/";
    public const string StatusUrl = "http://bulk.test/status/42";
    public List<DateTimeOffset> Polls { get; } = [];
    public List<HttpRequestMessage> Requests { get; } = [];

    public static readonly string ObservationsNdjson = string.Join("\n",
        FakeFhirHandler.Weight("b1", 81).Replace("\"status\"", "\"subject\":{\"reference\":\"Patient/a\"},\"status\""),
        FakeFhirHandler.Weight("b2", 95, "2026-03-01").Replace("\"status\"", "\"subject\":{\"reference\":\"Patient/b\"},\"status\""),
        "{ this line is not json",
        FakeFhirHandler.Weight("b3", 96, "2026-04-01").Replace("\"status\"", "\"subject\":{\"reference\":\"Patient/b\"},\"status\"")) + "\n";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        var url = request.RequestUri!.ToString();
        if (url.StartsWith(Base + "Group/g1/$export", StringComparison.Ordinal))
        {
            if (!request.Headers.TryGetValues("Prefer", out var prefer) || !prefer.Contains("respond-async"))
                return Reply(HttpStatusCode.BadRequest, FakeFhirHandler.Outcome("Prefer: respond-async is required"));
            if (!request.Headers.Accept.ToString().Contains("application/fhir+json"))
                return Reply(HttpStatusCode.BadRequest, FakeFhirHandler.Outcome("Accept must be application/fhir+json"));
            var accepted = new HttpResponseMessage(HttpStatusCode.Accepted) { Content = new StringContent("") };
            accepted.Content.Headers.ContentLocation = new Uri(StatusUrl);
            return Task.FromResult(accepted);
        }
        if (url == StatusUrl)
        {
            Polls.Add(clock.Now());
            if (Polls.Count <= pollsBeforeDone)
            {
                var pending = new HttpResponseMessage(HttpStatusCode.Accepted) { Content = new StringContent("") };
                pending.Headers.Add("X-Progress", $"{Polls.Count * 30}% done");
                pending.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(retryAfter);
                return Task.FromResult(pending);
            }
            return Reply(HttpStatusCode.OK, $$"""
                {"transactionTime":"2026-11-01T08:00:00Z","request":"{{Base}}Group/g1/$export?_type=Observation","requiresAccessToken":false,
                 "output":[{"type":"Observation","url":"http://bulk.test/files/obs.ndjson","count":3}],"error":[]}
                """, "application/json");
        }
        if (url == "http://bulk.test/files/obs.ndjson")
            return Reply(HttpStatusCode.OK, ObservationsNdjson, "application/fhir+ndjson");
        return Reply(HttpStatusCode.NotFound, FakeFhirHandler.Outcome("unknown " + url));
    }

    private static Task<HttpResponseMessage> Reply(HttpStatusCode status, string body, string type = "application/fhir+json") =>
        Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, type) });
}

/// <summary>Lets the fake server read the test's fake clock.</summary>
internal sealed class FakeTimeProviderClock(TimeProvider time)
{
    public DateTimeOffset Now() => time.GetUtcNow();
}
