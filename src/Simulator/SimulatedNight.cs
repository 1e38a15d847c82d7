using System.Diagnostics;
using System.Text.Json;
using Benefit.Api.Jobs;
using Benefit.Api.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Benefit.Simulator;

/// <summary>The service's own nightly jobs, run through its DI, and what its model registry says afterwards.</summary>
public static class SimulatedNight
{
    /// <summary>
    /// One night per simulated week (Sunday to Monday, 02:30 Amsterdam): the retrain (and the sync when asked) through the app's own
    /// job classes and their run guard; then what the registry says about the night's model.
    /// </summary>
    public static async Task<NightResult> RunAsync(SimulatedService service, ServiceCalls calls, string dsToken, HashSet<string> known,
        DateTimeOffset monday, bool syncEveryWeek, CancellationToken ct)
    {
        service.Clock.SetUtcNow(monday.AddHours(1).AddMinutes(30));
        var watch = Stopwatch.StartNew();
        if (syncEveryWeek) await RunJobAsync<FhirSyncJob>(service, ct);
        var (summary, _) = await RunJobAsync<RetrainJob>(service, ct);
        await RunJobAsync<PointsExpiryJob>(service, ct);
        var seconds = watch.Elapsed.TotalSeconds;

        var models = await calls.ModelsAsync(dsToken, ct);
        var fresh = models.Where(m => known.Add(m.Version)).ToList();
        long? rows = null;
        string? live = null;
        foreach (var model in fresh)
        {
            var card = (await calls.ModelAsync(dsToken, model.Version, ct)).GetProperty("card");
            if (Find(card, "trainRows") is { } r && r.TryGetInt64(out var n)) rows = (rows ?? 0) + n;
            foreach (var name in new[] { "liveRows", "priorRows" })
                if (Find(card, name) is { } v) live = (live is null ? "" : live + " ") + $"{name} {v}";
        }
        var champion = models.FirstOrDefault(m => m.Status == ModelStatus.Champion)?.Version ?? "(none)";
        return new NightResult(fresh.Count(m => m.Status == ModelStatus.Champion || m.PromotedAt is not null),
            fresh.Count(m => m.Status == ModelStatus.Rejected), rows, live, champion, summary, seconds);
    }

    /// <summary>The first property of that name anywhere in a model card (the training notes may sit at the top or in a section).</summary>
    private static JsonElement? Find(JsonElement element, string name)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty(name, out var direct)) return direct;
            foreach (var property in element.EnumerateObject())
                if (property.Value.ValueKind == JsonValueKind.Object && Find(property.Value, name) is { } found) return found;
        }
        return null;
    }

    public static async Task<(string Summary, double Seconds)> RunJobAsync<TJob>(SimulatedService service, CancellationToken ct) where TJob : GuardedJob
    {
        var watch = Stopwatch.StartNew();
        await using var scope = service.Services.CreateAsyncScope();
        var summary = await scope.ServiceProvider.GetRequiredService<TJob>().RunAsync(null, ct);
        return (summary, watch.Elapsed.TotalSeconds);
    }
}
