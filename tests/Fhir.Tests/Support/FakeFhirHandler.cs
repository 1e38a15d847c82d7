using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Benefit.Fhir.Tests.Support;

/// <summary>An in-process FHIR server stand-in: each request is answered by the first matching rule.</summary>
internal sealed class FakeFhirHandler : HttpMessageHandler
{
    private readonly List<(Func<HttpRequestMessage, bool> Match, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Respond)> _rules = [];

    public ConcurrentQueue<HttpRequestMessage> Requests { get; } = new();

    public int Count(string pathPart) => Requests.Count(r => r.RequestUri!.PathAndQuery.Contains(pathPart, StringComparison.Ordinal));

    public FakeFhirHandler On(Func<HttpRequestMessage, bool> match, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond)
    {
        _rules.Add((match, respond));
        return this;
    }

    public FakeFhirHandler On(string pathPart, Func<HttpRequestMessage, HttpResponseMessage> respond) =>
        On(r => r.RequestUri!.PathAndQuery.Contains(pathPart, StringComparison.Ordinal), (r, _) => Task.FromResult(respond(r)));

    public FakeFhirHandler OnJson(string pathPart, string json, HttpStatusCode status = HttpStatusCode.OK) =>
        On(pathPart, _ => Json(json, status));

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/fhir+json") };

    public const string PatientJson = """{"resourceType":"Patient","id":"p1"}""";

    public static string Outcome(string text) =>
        $$"""{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"processing","diagnostics":"{{text}}"}]}""";

    public static string SearchSet(string? next, params string[] resources)
    {
        var link = next is null ? "" : "{\"relation\":\"next\",\"url\":\"" + next + "\"}";
        var entries = string.Join(",", resources.Select(r => "{\"resource\":" + r + "}"));
        return "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"link\":[" + link + "],\"entry\":[" + entries + "]}";
    }

    public static string Weight(string id, decimal kg, string date = "2026-01-01", string unit = "kg", string version = "1") =>
        $$$"""{"resourceType":"Observation","id":"{{{id}}}","meta":{"versionId":"{{{version}}}","lastUpdated":"2026-01-02T00:00:00Z"},"status":"final","code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},"effectiveDateTime":"{{{date}}}","valueQuantity":{"value":{{{kg}}},"system":"http://unitsofmeasure.org","code":"{{{unit}}}"}}""";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        foreach (var (match, respond) in _rules)
        {
            if (match(request))
                return await respond(request, cancellationToken);
        }
        return Json(Outcome("no rule for " + request.RequestUri), HttpStatusCode.NotFound);
    }
}
