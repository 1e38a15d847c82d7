using System.Collections.Immutable;
using Benefit.Fhir.Features;

namespace Benefit.Fhir.Sync;

/// <summary>Links a Benefit patient to their FHIR Patient: which server and which logical id.</summary>
/// <param name="Server">The FHIR base URL, or "embedded" for the demo bundles.</param>
public sealed record PatientLink(string PatientId, string Server, string FhirPatientId);

/// <summary>The current version of one Observation as received, kept as FHIR JSON so mapping can be re-run.</summary>
public sealed record StoredObservation(string Id, string? VersionId, DateTimeOffset? LastUpdated, string Json);

public enum SyncStatus
{
    Complete,
    Partial,
    Failed,
}

/// <summary>What is kept per patient between syncs: the observation set, the incremental mark, and the last good snapshot.</summary>
/// <param name="SyncMark">Highest meta.lastUpdated seen in complete syncs; the next sync asks for newer (minus an overlap).</param>
/// <param name="Snapshot">Features from the last complete sync; never replaced by a partial one.</param>
/// <param name="LastFullSyncAt">When the whole set was last fetched (not incrementally); drives Fhir:FullResyncInterval.</param>
public sealed record PatientSyncState(
    string PatientId,
    ImmutableArray<StoredObservation> Observations,
    DateTimeOffset? SyncMark,
    FeatureSnapshot? Snapshot,
    SyncStatus? LastStatus,
    FhirSyncFailure LastFailure,
    string? LastReason,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? LastFullSyncAt = null)
{
    public static PatientSyncState Empty(string patientId) =>
        new(patientId, [], null, null, null, FhirSyncFailure.None, null, null);
}

/// <summary>Persistence of <see cref="PatientSyncState"/>; the API backs it with its database (the state serialises with System.Text.Json).</summary>
public interface IObservationStore
{
    Task<PatientSyncState?> LoadAsync(string patientId, CancellationToken cancellationToken);

    Task SaveAsync(PatientSyncState state, CancellationToken cancellationToken);
}

/// <summary>Process-local store for tests and the embedded demo.</summary>
public sealed class InMemoryObservationStore : IObservationStore
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, PatientSyncState> _states = new();

    public Task<PatientSyncState?> LoadAsync(string patientId, CancellationToken cancellationToken) =>
        Task.FromResult(_states.GetValueOrDefault(patientId));

    public Task SaveAsync(PatientSyncState state, CancellationToken cancellationToken)
    {
        _states[state.PatientId] = state;
        return Task.CompletedTask;
    }
}
