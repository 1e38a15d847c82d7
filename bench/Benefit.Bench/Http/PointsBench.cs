using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Benefit.Bench.Http;

/// <summary>
/// Issue 5 through HTTP against the real service: awards from many provider clients spread over freshly enrolled
/// patients (2,000 by default, so most reports earn points instead of hitting a cap) and the activity types, then
/// reserve → cancel cycles by many clients on one patient's account (contention on one ledger).
/// </summary>
internal static class PointsBench
{
    private const string RedeemingPatient = "demo-patient-01";

    public static async Task<int> RunAsync(Options o)
    {
        var api = new Uri(o.Text("api", "http://127.0.0.1:5190"));
        var key = o.Text("key", "");
        var label = o.Text("label", "sqlite");
        var clients = o.Int("clients", 32);
        var warmUp = TimeSpan.FromSeconds(o.Int("warmup", 5));
        var duration = TimeSpan.FromSeconds(o.Int("seconds", 20));
        var target = o.Text("target", "");
        var types = ActivityTypes(o.Text("rules", "data/points-rules.json"));
        using var http = Client(api);
        var runId = Guid.NewGuid().ToString("N")[..8];
        var now = DateTimeOffset.UtcNow;
        var providerToken = new AuthenticationHeaderValue("Bearer", Tokens.Provider(key, "bench-gym"));
        var patients = await EnrolAsync(http, key, runId, o.Int("patients", 2000));

        var apiPid = o.Text("api-pid", "") is { Length: > 0 } pid ? int.Parse(pid, CultureInfo.InvariantCulture) : (int?)null;
        var apiCpu = ProcessCpu.DuringAsync(apiPid, warmUp, warmUp + duration);
        var ownCpu = ProcessCpu.DuringAsync(Environment.ProcessId, warmUp, warmUp + duration);
        var databaseCpu = ProcessCpu.DuringByNameAsync(o.Text("db-process", ""), warmUp, warmUp + duration);
        Report.Info($"awards on {label}: {clients} clients, {warmUp.TotalSeconds:F0} s warm-up + {duration.TotalSeconds:F0} s, {types.Length} activity types, {patients.Length} patients");
        var awards = await LoadLoop.RunAsync(clients, warmUp, duration, async (worker, n, ct) =>
        {
            // Spread over the last four weeks so day and week caps of many periods are in play, as with real backlogs.
            var occurred = now.AddMinutes(-(n * 7919 % (28 * 24 * 60)) - 1);
            var body = $$"""{"patientId":"{{patients[n % patients.Length]}}","activityType":"{{types[n / patients.Length % types.Length]}}","occurredAt":"{{occurred.ToString("O", CultureInfo.InvariantCulture)}}","externalEventId":"bench-{{runId}}-{{n}}"}""";
            using var request = Post("activities", body, providerToken, $"bench-{runId}-{n}");
            using var response = await http.SendAsync(request, ct);
            if (response.StatusCode != HttpStatusCode.OK)
                return $"HTTP {(int)response.StatusCode}";
            using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
            var outcome = json.RootElement.GetProperty("outcome").GetString();
            var reason = json.RootElement.GetProperty("reason").GetString();
            return reason is "None" ? outcome! : $"{outcome} ({reason})";
        });
        Report.Info($"awards on {label}: {awards.Operations:N0} in {duration.TotalSeconds:F0} s; mix: {awards.Mix}; max {awards.MaxMs:F1} ms");
        Report.Result($"points/{label}", $"awards/s ({clients} clients)", awards.PerSecond, "/s", target, awards.Mix);
        Report.Result($"points/{label}", "award latency p50", awards.P50Ms, "ms");
        Report.Result($"points/{label}", "award latency p99", awards.P99Ms, "ms", "≤ 20 ms");
        if (await apiCpu is { } cpu)
            Report.Result($"points/{label}", "API process CPU per award", cpu * 1000 / awards.Operations, "ms",
                "", $"so 2 free cores would serve ≈ {2 * awards.Operations / cpu:N0}/s before the database's own CPU and fsync waits");
        if (await databaseCpu is { } database)
            Report.Result($"points/{label}", "database server CPU per award (all its processes)", database * 1000 / awards.Operations, "ms");
        if (await ownCpu is { } own)
            Report.Result($"points/{label}", "load generator CPU per award (same machine)", own * 1000 / awards.Operations, "ms");

        await FundAsync(http, providerToken, types, runId, now);
        await RedemptionsAsync(http, key, label, clients, warmUp, duration, runId);
        return 0;
    }

    /// <summary>Enrols <paramref name="count"/> patients for this run (an admin's POST /patients on the embedded source, 8 at a time).</summary>
    private static async Task<string[]> EnrolAsync(HttpClient http, string key, string runId, int count)
    {
        var token = new AuthenticationHeaderValue("Bearer", Tokens.Admin(key, "bench-admin"));
        var ids = Enumerable.Range(0, count).Select(i => $"bench-{runId}-p{i:D5}").ToArray();
        var started = DateTime.UtcNow;
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, ct) =>
        {
            var body = $$"""{"id":"{{id}}","fhir":{"server":"embedded","patientId":"{{id}}"},"careTeam":["bench-clinician"],"ageBand":"65-74","sex":"male","socioEconomicBand":"mid"}""";
            using var request = Post("patients", body, token, null);
            using var response = await http.SendAsync(request, ct);
            response.EnsureSuccessStatusCode();
        });
        Report.Info($"enrolled {count:N0} patients in {(DateTime.UtcNow - started).TotalSeconds:F1} s");
        return ids;
    }

    /// <summary>Every activity type on each of the last 28 days for the redeeming patient: as many points as the caps allow.</summary>
    private static async Task FundAsync(HttpClient http, AuthenticationHeaderValue providerToken, string[] types, string runId, DateTimeOffset now)
    {
        var reports = Enumerable.Range(0, 28).SelectMany(day => types.Select(type => (day, type))).ToList();
        await Parallel.ForEachAsync(reports, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (r, ct) =>
        {
            var occurred = now.AddDays(-r.day).AddHours(-1).ToString("O", CultureInfo.InvariantCulture);
            var id = $"fund-{runId}-{r.day}-{r.type}";
            var body = $$"""{"patientId":"{{RedeemingPatient}}","activityType":"{{r.type}}","occurredAt":"{{occurred}}","externalEventId":"{{id}}"}""";
            using var request = Post("activities", body, providerToken, id);
            using var response = await http.SendAsync(request, ct);
            response.EnsureSuccessStatusCode();
        });
    }

    private static async Task RedemptionsAsync(HttpClient http, string key, string label, int clients, TimeSpan warmUp, TimeSpan duration, string runId)
    {
        const string patient = RedeemingPatient, reward = "herbal-tea-set";
        var token = new AuthenticationHeaderValue("Bearer", Tokens.Patient(key, patient));
        using (var balance = new HttpRequestMessage(HttpMethod.Get, $"patients/{patient}/points?pageSize=1") { Headers = { Authorization = token } })
        using (var response = await http.SendAsync(balance))
        {
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Report.Info($"{patient} before redemptions: balance {json.RootElement.GetProperty("statement").GetProperty("balance")} points (a '{reward}' costs 750)");
        }

        Report.Info($"redemptions on {label}: {clients} clients reserve '{reward}' and cancel it again, all on {patient}'s account");
        var cycles = await LoadLoop.RunAsync(clients, warmUp, duration, async (worker, n, ct) =>
        {
            using var reserve = Post($"patients/{patient}/redemptions", $$"""{"rewardId":"{{reward}}","quantity":1}""", token, $"redeem-{runId}-{n}");
            using var reserved = await http.SendAsync(reserve, ct);
            using var json = JsonDocument.Parse(await reserved.Content.ReadAsStreamAsync(ct));
            if (reserved.StatusCode != HttpStatusCode.Created)
                return $"refused {(int)reserved.StatusCode} '{(json.RootElement.TryGetProperty("title", out var title) ? title.GetString() : "")}'";
            var id = json.RootElement.GetProperty("id").GetString();
            using var cancel = Post($"patients/{patient}/redemptions/{id}/cancel", null, token, null);
            using var cancelled = await http.SendAsync(cancel, ct);
            return cancelled.StatusCode == HttpStatusCode.OK ? "reserved+cancelled" : $"cancel HTTP {(int)cancelled.StatusCode}";
        });
        var succeeded = cycles.Outcomes.GetValueOrDefault("reserved+cancelled");
        Report.Info($"redemptions on {label}: {cycles.Operations:N0} cycles; mix: {cycles.Mix}; max {cycles.MaxMs:F1} ms");
        Report.Result($"points/{label}", $"reserve+cancel cycles/s, one account ({clients} clients)", succeeded / duration.TotalSeconds, "/s", "", cycles.Mix);
        Report.Result($"points/{label}", "reserve+cancel cycle p99", cycles.P99Ms, "ms");
    }

    private static HttpRequestMessage Post(string path, string? body, AuthenticationHeaderValue token, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = token;
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }

    private static HttpClient Client(Uri api) => new(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
    {
        BaseAddress = api,
        Timeout = TimeSpan.FromSeconds(30),
    };

    private static string[] ActivityTypes(string rulesPath)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(rulesPath));
        var latest = json.RootElement.GetProperty("versions").EnumerateArray().Last();
        return [.. latest.GetProperty("activities").EnumerateObject().Select(a => a.Name)];
    }
}
