using Benefit.Fhir.Features;
using Benefit.Fhir.Sync;
using Benefit.Fhir.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Benefit.Fhir.Tests.Server;

/// <summary>Against the real test server loaded with the official R4 examples and the cql-exec-fhir Synthea bundles.</summary>
public class RealServerSyncTests
{
    private const string SyntheaJohnnie = "ea877536-55b1-4ec8-a12b-e95594214c01";

    private static async Task<SyncResult> Sync(string patient, params (string, string)[] settings)
    {
        using var services = RealFhirServer.Services(settings);
        return await services.GetRequiredService<FhirSyncService>().SyncPatientAsync(RealFhirServer.Link(patient), null);
    }

    [Fact]
    public async Task The_r4_blood_pressure_example_reads_as_107_over_60()
    {
        var result = await Sync("example");

        Assert.Equal(SyncStatus.Complete, result.Status);
        var systolic = result.Snapshot![FeatureNames.SystolicBp]!;
        var diastolic = result.Snapshot[FeatureNames.DiastolicBp]!;
        Assert.Equal((107m, 60m), (systolic.Value, diastolic.Value));
        Assert.Equal("mm[Hg]", systolic.Unit);
        Assert.Equal("blood-pressure", diastolic.Sources[0].ObservationId);
        Assert.Equal(RealFhirServer.BaseUrl, diastolic.Sources[0].Server);
        Assert.Equal(new DateTimeOffset(2012, 9, 17, 0, 0, 0, TimeSpan.Zero), diastolic.Effective.ToUniversalTime());
        Assert.False(string.IsNullOrEmpty(diastolic.Sources[0].VersionId));
    }

    [Fact]
    public async Task The_r4_examples_are_converted_and_checked_for_plausibility()
    {
        var snapshot = (await Sync("example")).Snapshot!;

        Assert.Equal(83.91m, snapshot[FeatureNames.Weight]!.Value);
        Assert.Equal("example", snapshot[FeatureNames.Weight]!.Sources[0].ObservationId);
        Assert.Equal(169.93m, snapshot[FeatureNames.Height]!.Value);
        Assert.Equal(16.2m, snapshot[FeatureNames.Bmi]!.Value);
        Assert.False(snapshot[FeatureNames.Bmi]!.Derived);
        Assert.Equal(44m, snapshot[FeatureNames.HeartRate]!.Value);
        Assert.Contains(snapshot.Skipped, s => s.ObservationId == "body-length" && s.Reason == SkipReasons.Implausible);
        Assert.Contains(snapshot.Skipped, s => s.ObservationId == "blood-pressure-cancel" && s.Reason == SkipReasons.Cancelled);
    }

    [Fact]
    public async Task A_synthea_patient_gives_its_latest_vitals_from_the_legacy_bp_panel()
    {
        var result = await Sync(SyntheaJohnnie);

        var s = result.Snapshot!;
        Assert.Equal(SyncStatus.Complete, result.Status);
        Assert.Equal(117.54m, s[FeatureNames.SystolicBp]!.Value);
        Assert.Equal(78.30m, s[FeatureNames.DiastolicBp]!.Value);
        Assert.Equal("4776c17e-2338-43d8-9d8d-6716877786da", s[FeatureNames.SystolicBp]!.Sources[0].ObservationId);
        Assert.Equal(43.10m, s[FeatureNames.Weight]!.Value);
        Assert.Equal(135.27m, s[FeatureNames.Height]!.Value);
        Assert.Equal(23.55m, s[FeatureNames.Bmi]!.Value);
        Assert.Equal(SmokingCategory.Never, s[FeatureNames.Smoking]!.Category);
        Assert.Equal(DateTimeOffset.Parse("2018-11-02T05:04:09-04:00"), s[FeatureNames.Weight]!.Effective);
    }

    [Fact]
    public async Task Paging_follows_next_links_across_many_pages()
    {
        using var services = RealFhirServer.Services(("PageSize", "5"));

        var fetch = await RealFhirServer.Source(services).FetchAsync(SyntheaJohnnie, null, default);

        Assert.True(fetch.IsComplete, fetch.FailureMessage);
        // 17 each of height, weight, BP panel and smoking status, plus 10 BMI: the brief's codes in this Synthea record.
        Assert.Equal(78, fetch.Observations.Count);
        Assert.Equal(16, fetch.Pages);
        Assert.Equal(78, fetch.Observations.Select(o => o.Id).Distinct().Count());
    }

    [Fact]
    public async Task An_unknown_patient_fails_with_patient_not_found()
    {
        var result = await Sync("no-such-patient-" + Guid.NewGuid().ToString("N"));

        Assert.Equal((SyncStatus.Failed, FhirSyncFailure.PatientNotFound), (result.Status, result.Failure));
        Assert.Null(result.Snapshot);
        Assert.Equal(404, Assert.Throws<FhirSyncException>(() => result.EnsureComplete()).SuggestedStatusCode);
    }

    [Fact]
    public async Task A_demo_patient_reads_the_same_from_the_server_and_from_the_embedded_bundle()
    {
        var folder = Path.Combine(RepoPaths.Root, "data", "demo", "fhir");
        var patient = Directory.GetFiles(folder, "*.json").Select(Path.GetFileNameWithoutExtension).Order().First()!;
        using var embedded = TestServices.Build(new Dictionary<string, string?> { ["Fhir:EmbeddedBundleFolder"] = folder });

        var fromServer = (await Sync(patient)).Snapshot!;
        var fromFile = (await embedded.GetRequiredService<FhirSyncService>().SyncPatientAsync(new PatientLink(patient, "embedded", patient), null)).Snapshot!;

        Assert.NotEmpty(fromServer.Features);
        Assert.Equal(
            fromFile.Features.OrderBy(f => f.Key).Select(f => (f.Key, f.Value.Value, f.Value.Category, f.Value.Effective)),
            fromServer.Features.OrderBy(f => f.Key).Select(f => (f.Key, f.Value.Value, f.Value.Category, f.Value.Effective)));
    }
}
