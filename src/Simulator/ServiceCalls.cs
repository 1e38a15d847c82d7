using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Benefit.Recommender.Patients;

namespace Benefit.Simulator;

/// <summary>A served item as the patient's app receives it.</summary>
public sealed record ServedItem(int Rank, string InterventionId, IReadOnlyList<string> Reasons, bool Explored = false);

/// <summary>A served list; <see cref="Items"/> is empty when the service had no model to rank with (503).</summary>
public sealed record ServedList(string? ListId, string? ModelVersion, IReadOnlyList<ServedItem> Items);

/// <summary>A model registry row as GET /models lists it.</summary>
public sealed record ModelRow(string Version, string Status, DateTime? PromotedAt, string? Decision);

/// <summary>
/// The HTTP contract the simulation drives, one method per call, each with the caller's own token. Counts requests so the report
/// can say where the time went.
/// </summary>
public sealed class ServiceCalls(HttpClient http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private long _requests;
    private int _interventionIdAccepted = -1; // unknown until the first report: -1, 0 no, 1 yes
    private readonly SemaphoreSlim _firstReport = new(1, 1);

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Null until the first activity report; false while POST /activities does not know the field yet.</summary>
    public bool? InterventionIdAccepted => _interventionIdAccepted < 0 ? null : _interventionIdAccepted == 1;

    public Task EnrolAsync(string adminToken, SimulatedPatient p, CancellationToken ct) => SendOkAsync(HttpMethod.Post, "/patients", adminToken, new
    {
        id = p.Id,
        fhir = new { server = "embedded", patientId = p.Id },
        careTeam = new[] { p.Clinician },
        ageBand = p.Truth.AgeBand,
        sex = p.Truth.Sex,
        socioEconomicBand = p.Truth.SocioEconomicBand,
        language = p.Truth.Language,
    }, ct);

    public Task ConsentAsync(SimulatedPatient p, CancellationToken ct) =>
        SendOkAsync(HttpMethod.Put, $"/patients/{p.Id}/consent", p.Token, new { personalisation = true, training = p.TrainingConsent }, ct);

    public Task PreferencesAsync(SimulatedPatient p, Preferences preferences, CancellationToken ct) =>
        SendOkAsync(HttpMethod.Put, $"/patients/{p.Id}/preferences", p.Token, new
        {
            preferences.Guidance, preferences.Delivery, preferences.Setting, preferences.MaxCostEuroCents, preferences.MinutesPerWeek,
            preferences.Goals,
        }, ct);

    public async Task<ServedList> RecommendationsAsync(SimulatedPatient p, int limit, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/patients/{p.Id}/recommendations?limit={limit}", p.Token, null, null, ct);
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            return new ServedList(null, null, []);
        await EnsureOkAsync(response, ct);
        var list = (await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct));
        var items = list.GetProperty("items").EnumerateArray().Select(i => new ServedItem(i.GetProperty("rank").GetInt32(),
            i.GetProperty("interventionId").GetString()!, [.. i.GetProperty("reasons").EnumerateArray().Select(r => r.GetString() ?? "")],
            i.TryGetProperty("explored", out var explored) && explored.GetBoolean())).ToList();
        return new ServedList(list.GetProperty("listId").GetString(), list.GetProperty("modelVersion").GetString(), items);
    }

    public Task ChooseAsync(SimulatedPatient p, string interventionId, string kind, string? listId, CancellationToken ct) =>
        SendOkAsync(HttpMethod.Post, $"/patients/{p.Id}/choices", p.Token, new { interventionId, kind, listId }, ct);

    /// <summary>The care team's review: the suggestions it shows (null without a model).</summary>
    public async Task<IReadOnlyList<string>> ReviewAsync(string clinicianToken, string patientId, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/patients/{patientId}/review", clinicianToken, null, null, ct);
        await EnsureOkAsync(response, ct);
        var review = await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct);
        return review.TryGetProperty("suggestions", out var s) && s.ValueKind == JsonValueKind.Object
            ? [.. s.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("interventionId").GetString()!)]
            : [];
    }

    public Task DecideAsync(string clinicianToken, string patientId, string kind, string interventionId, CancellationToken ct) =>
        SendOkAsync(HttpMethod.Post, $"/patients/{patientId}/review-decisions", clinicianToken, new { kind, interventionId }, ct);

    /// <summary>
    /// A provider's report of one attended session, naming the intervention. Until POST /activities knows "interventionId" (it refuses
    /// unknown fields with 400), the first report finds out and every later one leaves the field out. Returns false when refused (422).
    /// </summary>
    public async Task<bool> ReportSessionAsync(string providerToken, string patientId, string interventionId, string activityType,
        DateTimeOffset occurredAt, string eventId, CancellationToken ct)
    {
        if (_interventionIdAccepted < 0)
        {
            await _firstReport.WaitAsync(ct);
            try
            {
                if (_interventionIdAccepted < 0)
                {
                    using var first = await PostReportAsync(withIntervention: true);
                    if (first.StatusCode == HttpStatusCode.BadRequest && (await first.Content.ReadAsStringAsync(ct)).Contains("interventionId", StringComparison.OrdinalIgnoreCase))
                    {
                        _interventionIdAccepted = 0;
                    }
                    else
                    {
                        _interventionIdAccepted = 1;
                        return await AcceptedAsync(first);
                    }
                }
            }
            finally
            {
                _firstReport.Release();
            }
        }
        using var response = await PostReportAsync(_interventionIdAccepted == 1);
        return await AcceptedAsync(response);

        Task<HttpResponseMessage> PostReportAsync(bool withIntervention)
        {
            object body = withIntervention
                ? new { patientId, activityType, occurredAt, externalEventId = eventId, interventionId }
                : new { patientId, activityType, occurredAt, externalEventId = eventId };
            return SendAsync(HttpMethod.Post, "/activities", providerToken, body, eventId, ct);
        }

        async Task<bool> AcceptedAsync(HttpResponseMessage response)
        {
            if (response.StatusCode == HttpStatusCode.UnprocessableEntity) return false;
            await EnsureOkAsync(response, ct);
            return true;
        }
    }

    public async Task<IReadOnlyList<ModelRow>> ModelsAsync(string dataScientistToken, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, "/models", dataScientistToken, null, null, ct);
        await EnsureOkAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<List<ModelRow>>(Json, ct) ?? [];
    }

    /// <summary>GET /models/{version}: the registry row with the model card under "card".</summary>
    public async Task<JsonElement> ModelAsync(string dataScientistToken, string version, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/models/{Uri.EscapeDataString(version)}", dataScientistToken, null, null, ct);
        await EnsureOkAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct);
    }

    private async Task SendOkAsync(HttpMethod method, string url, string token, object? body, CancellationToken ct)
    {
        using var response = await SendAsync(method, url, token, body, null, ct);
        await EnsureOkAsync(response, ct);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string token, object? body, string? idempotencyKey, CancellationToken ct)
    {
        Interlocked.Increment(ref _requests);
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (body is not null) request.Content = JsonContent.Create(body, options: Json);
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await http.SendAsync(request, ct);
        }
        finally
        {
            var route = $"{method} {RouteOf(url)}";
            _timings.AddOrUpdate(route, _ => (1, Stopwatch.GetElapsedTime(started)), (_, t) => (t.Count + 1, t.Time + Stopwatch.GetElapsedTime(started)));
        }
    }

    /// <summary>Requests and summed latency per route (ids replaced by {id}): where the API time goes.</summary>
    public IReadOnlyDictionary<string, (long Count, TimeSpan Time)> Timings => _timings;

    private readonly ConcurrentDictionary<string, (long Count, TimeSpan Time)> _timings = new(StringComparer.Ordinal);

    private static string RouteOf(string url)
    {
        var path = url.Split('?')[0].Split('/');
        return string.Join("/", path.Select((part, n) => n == 2 && path[1] is "patients" or "models" ? "{id}" : part));
    }

    private static async Task EnsureOkAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var detail = await response.Content.ReadAsStringAsync(ct);
        throw new SimulationException(
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} answered {(int)response.StatusCode}: {detail}");
    }
}

/// <summary>The service answered something the simulation cannot continue from.</summary>
public sealed class SimulationException(string message) : Exception(message);
