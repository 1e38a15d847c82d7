using Benefit.Fhir.Features;
using Benefit.Fhir.Sync;
using Benefit.Fhir.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Benefit.Fhir.Tests.Server;

/// <summary>Writes its own patient to the real server so it never disturbs the public examples other tests read.</summary>
public class RealServerIncrementalTests
{
    private readonly string _patient = "incr-" + Guid.NewGuid().ToString("N")[..12];

    private async Task SeedAsync()
    {
        await RealFhirServer.PutAsync("Patient", _patient, $$"""{"resourceType":"Patient","id":"{{_patient}}"}""");
        await RealFhirServer.PutAsync("Observation", _patient + "-w1", RealFhirServer.Weight(_patient + "-w1", _patient, 92, "2026-09-01"));
        await RealFhirServer.PutAsync("Observation", _patient + "-w2", RealFhirServer.Weight(_patient + "-w2", _patient, 198.42m, "2026-10-01", unit: "[lb_av]"));
        await RealFhirServer.PutAsync("Observation", _patient + "-h", $$$"""{"resourceType":"Observation","id":"{{{_patient}}}-h","status":"final","subject":{"reference":"Patient/{{{_patient}}}"},"code":{"coding":[{"system":"http://loinc.org","code":"8302-2"}]},"effectiveDateTime":"2026-09-01","valueQuantity":{"value":1.8,"system":"http://unitsofmeasure.org","code":"m"}}""");
    }

    private static (ServiceProvider Services, FhirSyncService Sync) Create()
    {
        var services = RealFhirServer.Services(("IncrementalOverlap", "00:00:00"));
        return (services, services.GetRequiredService<FhirSyncService>());
    }

    [Fact]
    public async Task An_incremental_sync_picks_up_only_the_changed_observation()
    {
        await SeedAsync();
        var (services, sync) = Create();
        using var _ = services;
        var link = RealFhirServer.Link(_patient);

        var first = await sync.SyncAndSaveAsync(link);
        await RealFhirServer.PutAsync("Observation", _patient + "-w2", RealFhirServer.Weight(_patient + "-w2", _patient, 89.5m, "2026-10-01", status: "amended"));
        var second = await sync.SyncAndSaveAsync(link);

        Assert.Equal((SyncStatus.Complete, 3, 3), (first.Status, first.Fetched, first.Changed));
        Assert.Equal(90m, first.Snapshot![FeatureNames.Weight]!.Value);
        Assert.Equal(27.78m, first.Snapshot[FeatureNames.Bmi]!.Value);
        Assert.True(first.Snapshot[FeatureNames.Bmi]!.Derived);
        Assert.Equal((SyncStatus.Complete, 1, 1), (second.Status, second.Fetched, second.Changed));
        Assert.Equal(89.5m, second.Snapshot![FeatureNames.Weight]!.Value);
        Assert.Equal(3, second.State.Observations.Length);
        Assert.NotEqual(first.Snapshot[FeatureNames.Weight]!.Sources[0].VersionId, second.Snapshot[FeatureNames.Weight]!.Sources[0].VersionId);
    }

    [Fact]
    public async Task An_observation_marked_entered_in_error_is_removed_and_the_previous_value_returns()
    {
        await SeedAsync();
        var (services, sync) = Create();
        using var _ = services;
        var link = RealFhirServer.Link(_patient);

        await sync.SyncAndSaveAsync(link);
        await RealFhirServer.PutAsync("Observation", _patient + "-w2", RealFhirServer.Weight(_patient + "-w2", _patient, 198.4m, "2026-10-01", status: "entered-in-error", unit: "[lb_av]"));
        var result = await sync.SyncAndSaveAsync(link);

        Assert.Equal((SyncStatus.Complete, 1, 1), (result.Status, result.Fetched, result.Changed));
        Assert.Equal(92m, result.Snapshot![FeatureNames.Weight]!.Value);
        Assert.Equal(_patient + "-w1", result.Snapshot[FeatureNames.Weight]!.Sources[0].ObservationId);
        Assert.DoesNotContain(result.State.Observations, o => o.Id == _patient + "-w2");
    }

    [Fact]
    public async Task A_resync_with_overlap_fetches_again_but_changes_nothing()
    {
        await SeedAsync();
        using var services = RealFhirServer.Services();
        var sync = services.GetRequiredService<FhirSyncService>();
        var link = RealFhirServer.Link(_patient);

        await sync.SyncAndSaveAsync(link);
        var again = await sync.SyncAndSaveAsync(link);

        Assert.Equal((SyncStatus.Complete, 3, 0), (again.Status, again.Fetched, again.Changed));
    }
}
