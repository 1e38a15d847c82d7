using System.Diagnostics;
using System.Text.Json;
using Benefit.Fhir;
using Benefit.Fhir.Sources;
using Benefit.Fhir.Sync;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Benefit.Bench.Fhir;

/// <summary>
/// Issue 3: sync every generated patient from the FHIR test server with <see cref="FhirSyncService.SyncManyAsync"/>, next to
/// the same server's raw search throughput (plain HttpClient paging, no parsing beyond counting) measured in the same run.
/// </summary>
internal static class FhirSyncBench
{
    public static async Task<int> RunAsync(Options o)
    {
        var url = o.Text("fhir", "http://127.0.0.1:58095");
        var patients = o.Int("patients", 1000);
        // The test server scans every stored Observation per search, so a pass over all 1,000 patients takes many minutes;
        // a sample (every n-th patient) keeps the server's size, and so its per-search cost, the same.
        var sample = Math.Min(patients, o.Int("sample", 100));
        var concurrency = o.Int("concurrency", 4);
        var ids = Enumerable.Range(0, sample).Select(n => $"p{n * (patients / sample):D6}").ToList();
        Report.Info($"FHIR server {url} holds {patients:N0} generated patients; syncing {sample:N0} of them, {concurrency} at a time");

        using var http = new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(60) };
        var plain = await RawAsync(http, ids, concurrency, id => $"Observation?patient={id}&_count=100");
        Report.Result("fhir", $"raw search, Observation?patient=…&_count=100 ({concurrency} at a time)", plain.PerSecond, "obs/s", "", $"{plain.Count:N0} observations, {plain.Pages:N0} pages");
        var asSync = await RawAsync(http, ids, concurrency,
            id => $"Observation?patient=Patient/{id}&code={Uri.EscapeDataString(FhirServerSource.CodeParameter)}&_sort=-date&_count=100");
        Report.Result("fhir", $"raw search, the sync's query (codes, _sort=-date) ({concurrency} at a time)", asSync.PerSecond, "obs/s", "", $"{asSync.Count:N0} observations, {asSync.Pages:N0} pages");

        var summary = await SyncAsync(url, ids, concurrency);
        var perSecond = summary.ObservationsFetched / summary.Duration.TotalSeconds;
        Report.Info($"sync: {summary.Complete}/{summary.Patients} complete, {summary.Partial} partial, {summary.Failed} failed, {summary.ObservationsFetched:N0} observations in {summary.Duration.TotalSeconds:F1} s");
        Report.Result("fhir", $"FhirSyncService.SyncManyAsync, {sample:N0} of {patients:N0} patients (Fhir:MaxConcurrentPatients {concurrency})", perSecond, "obs/s", "",
            $"{summary.ObservationsFetched:N0} observations in {summary.Duration.TotalSeconds:F1} s; {summary.Complete} complete, {summary.Failed + summary.Partial} not");
        Report.Result("fhir", "sync / raw search (the sync's query)", perSecond / asSync.PerSecond * 100, "%");
        return summary.Complete == summary.Patients ? 0 : 1;
    }

    /// <summary>Composes the library the way the API does: <c>AddFhirSync(config)</c> with Fhir:BaseUrl, in-memory state store.</summary>
    public static async Task<BatchSyncSummary> SyncAsync(string url, IReadOnlyList<string> ids, int concurrency)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Fhir:BaseUrl"] = url,
            ["Fhir:MaxConcurrentPatients"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddFhirSync(config).BuildServiceProvider();
        var sync = services.GetRequiredService<FhirSyncService>();
        return await sync.SyncManyAsync([.. ids.Select(id => new PatientLink(id, url, id))]);
    }

    private sealed record RawResult(long Count, long Pages, TimeSpan Elapsed)
    {
        public double PerSecond => Count / Elapsed.TotalSeconds;
    }

    private static async Task<RawResult> RawAsync(HttpClient http, IReadOnlyList<string> ids, int concurrency, Func<string, string> firstPage)
    {
        long count = 0, pages = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (id, ct) =>
        {
            for (string? next = firstPage(id); next is not null;)
            {
                await using var stream = await http.GetStreamAsync(next, ct);
                using var page = await JsonDocument.ParseAsync(stream, cancellationToken: ct);
                Interlocked.Increment(ref pages);
                if (page.RootElement.TryGetProperty("entry", out var entries))
                    Interlocked.Add(ref count, entries.GetArrayLength());
                next = page.RootElement.TryGetProperty("link", out var links)
                    ? links.EnumerateArray().Where(l => l.GetProperty("relation").GetString() == "next").Select(l => l.GetProperty("url").GetString()).FirstOrDefault()
                    : null;
            }
        });
        return new RawResult(count, pages, clock.Elapsed);
    }
}
