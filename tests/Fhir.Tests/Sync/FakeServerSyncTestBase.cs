using Benefit.Fhir.Features;
using Benefit.Fhir.Sync;
using Benefit.Fhir.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Benefit.Fhir.Tests.Support.FakeFhirHandler;

namespace Benefit.Fhir.Tests.Sync;

/// <summary>Shared set-up for syncs against the in-process fake server with a fake clock.</summary>
public abstract class FakeServerSyncTestBase
{
    private protected readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero));

    private protected static readonly FeatureSnapshot PreviousSnapshot = FeatureMapper.Map("benefit-p1", TestServices.FakeBase, [Obs.Quantity("29463-7", 77, "kg", id: "old")], Obs.Day0);

    /// <summary>A state from a complete sync a day before the clock's now, so the next sync is incremental.</summary>
    private protected PatientSyncState Previous => PatientSyncState.Empty("benefit-p1") with
    {
        Snapshot = PreviousSnapshot, SyncMark = Obs.Day0, LastFullSyncAt = _clock.GetUtcNow().AddDays(-1),
    };

    private protected async Task<SyncResult> SyncAsync(FakeFhirHandler fake, PatientSyncState? previous = null, params (string, string)[] settings)
    {
        using var services = TestServices.Build(TestServices.FakeSettings(settings), fake, _clock);
        var task = services.GetRequiredService<FhirSyncService>().SyncPatientAsync(TestServices.Link(), previous ?? Previous);
        return await TestServices.RunWithClock(_clock, task, TimeSpan.FromMilliseconds(250));
    }

    private protected static FakeFhirHandler WithPatient() => new FakeFhirHandler().OnJson("/Patient/p1", PatientJson);

    private protected static void AssertPreviousKept(SyncResult result)
    {
        Assert.NotEqual(SyncStatus.Complete, result.Status);
        Assert.Same(PreviousSnapshot, result.Snapshot);
        Assert.False(result.SnapshotIsCurrent);
        Assert.Same(PreviousSnapshot, result.State.Snapshot);
        Assert.Equal(result.Status, result.State.LastStatus);
    }
}
