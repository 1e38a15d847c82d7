using System.Text.Json;
using Benefit.Fhir.Features;
using Benefit.Fhir.Sync;
using Benefit.Fhir.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Benefit.Fhir.Tests.Sync;

/// <summary>The sync service over the embedded demo bundles (no server), as the API runs by default.</summary>
public class SyncServiceTests
{
    private static readonly string DemoFolder = Path.Combine(RepoPaths.Root, "data", "demo", "fhir");

    private static ServiceProvider Embedded(string folder, int concurrency = 4) => TestServices.Build(new Dictionary<string, string?>
    {
        ["Fhir:EmbeddedBundleFolder"] = folder,
        ["Fhir:MaxConcurrentPatients"] = concurrency.ToString(),
    });

    private static string[] DemoPatients() =>
        [.. Directory.GetFiles(DemoFolder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Order()];

    [Fact]
    public async Task Every_demo_bundle_syncs_completely_with_no_unknown_codes_or_units()
    {
        using var services = Embedded(DemoFolder);
        var links = DemoPatients().Select(p => new PatientLink(p, "embedded", p)).ToList();

        var summary = await services.GetRequiredService<FhirSyncService>().SyncManyAsync(links);

        Assert.NotEmpty(links);
        Assert.Equal((links.Count, links.Count, 0, 0), (summary.Patients, summary.Complete, summary.Partial, summary.Failed));
        Assert.All(summary.Results, r => Assert.DoesNotContain(r.SkippedByReason.Keys, k => k is SkipReasons.UnknownCode or SkipReasons.UnknownUnit));
        Assert.All(summary.Results, r => Assert.NotNull(r.Snapshot![FeatureNames.SystolicBp]));
    }

    [Fact]
    public async Task Sync_and_save_stores_the_state_and_a_second_sync_changes_nothing()
    {
        using var services = Embedded(DemoFolder);
        var sync = services.GetRequiredService<FhirSyncService>();
        var store = services.GetRequiredService<IObservationStore>();
        var patient = DemoPatients()[0];
        var link = new PatientLink(patient, "embedded", patient);

        var first = await sync.SyncAndSaveAsync(link);
        var second = await sync.SyncAndSaveAsync(link);

        Assert.True(first.Changed > 0);
        Assert.Equal(0, second.Changed);
        Assert.Equal(first.Fetched, second.Fetched);
        var saved = await store.LoadAsync(patient, default);
        Assert.Equal(SyncStatus.Complete, saved!.LastStatus);
        Assert.Equal(first.Snapshot!.Features.Keys.Order(), saved.Snapshot!.Features.Keys.Order());
    }

    [Fact]
    public async Task A_missing_bundle_fails_as_patient_not_found_and_the_batch_goes_on()
    {
        using var services = Embedded(DemoFolder, concurrency: 2);
        var patient = DemoPatients()[0];

        var summary = await services.GetRequiredService<FhirSyncService>().SyncManyAsync(
            [new PatientLink(patient, "embedded", patient), new PatientLink("ghost", "embedded", "no-such-demo-patient")]);

        Assert.Equal((1, 1), (summary.Complete, summary.Failed));
        Assert.Equal(FhirSyncFailure.PatientNotFound, summary.Results.Single(r => r.PatientId == "ghost").Failure);
    }

    [Fact]
    public async Task A_malformed_bundle_file_fails_and_keeps_the_previous_snapshot()
    {
        var folder = Directory.CreateTempSubdirectory("benefit-fhir-").FullName;
        try
        {
            File.Copy(Path.Combine(DemoFolder, DemoPatients()[0] + ".json"), Path.Combine(folder, "p.json"));
            using var services = Embedded(folder);
            var sync = services.GetRequiredService<FhirSyncService>();
            var good = await sync.SyncAndSaveAsync(new PatientLink("p", "embedded", "p"));
            await File.WriteAllTextAsync(Path.Combine(folder, "p.json"), "{ \"resourceType\": \"Bundle\", ");

            var bad = await sync.SyncAndSaveAsync(new PatientLink("p", "embedded", "p"));

            Assert.Equal((SyncStatus.Failed, FhirSyncFailure.MalformedResponse), (bad.Status, bad.Failure));
            Assert.Same(good.Snapshot, bad.Snapshot);
            Assert.False(bad.SnapshotIsCurrent);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_stored_state_round_trips_through_system_text_json()
    {
        using var services = Embedded(DemoFolder);
        var patient = DemoPatients()[0];
        var result = await services.GetRequiredService<FhirSyncService>().SyncPatientAsync(new PatientLink(patient, "embedded", patient), null);

        var json = JsonSerializer.Serialize(result.State);
        var back = JsonSerializer.Deserialize<PatientSyncState>(json)!;

        Assert.Equal(result.State.Observations.Select(o => (o.Id, o.VersionId, o.Json)), back.Observations.Select(o => (o.Id, o.VersionId, o.Json)));
        Assert.Equal(result.State.SyncMark, back.SyncMark);
        var (before, after) = (result.State.Snapshot!.Features[FeatureNames.SystolicBp], back.Snapshot!.Features[FeatureNames.SystolicBp]);
        Assert.Equal((before.Value, before.Effective, before.Unit), (after.Value, after.Effective, after.Unit));
        Assert.Equal(before.Sources.ToArray(), after.Sources.ToArray());
        Assert.Equal(result.State.Snapshot.Trends.Keys.Order(), back.Snapshot.Trends.Keys.Order());
    }
}
