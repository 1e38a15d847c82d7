using System.Collections.Immutable;
using Benefit.Fhir.Features;

namespace Benefit.Fhir.Sync;

/// <summary>The outcome of one patient's sync: what was fetched, changed and skipped and why.</summary>
/// <param name="Snapshot">The new snapshot when complete; otherwise the previous one (possibly null), see <see cref="SnapshotIsCurrent"/>.</param>
/// <param name="SnapshotIsCurrent">False when the sync did not complete and the snapshot is from an earlier sync.</param>
public sealed record SyncResult(
    string PatientId,
    SyncStatus Status,
    FhirSyncFailure Failure,
    string? Reason,
    int Fetched,
    int Changed,
    int Skipped,
    ImmutableDictionary<string, int> SkippedByReason,
    FeatureSnapshot? Snapshot,
    bool SnapshotIsCurrent,
    PatientSyncState State,
    DateTimeOffset StartedAt,
    TimeSpan Duration)
{
    /// <summary>Throws a <see cref="FhirSyncException"/> carrying the failure when the sync is not complete.</summary>
    public SyncResult EnsureComplete() => Status == SyncStatus.Complete
        ? this
        : throw new FhirSyncException(Failure, $"FHIR sync of patient {PatientId} is {Status.ToString().ToLowerInvariant()}: {Reason}");
}

/// <summary>Totals of a many-patient run (the nightly job).</summary>
public sealed record BatchSyncSummary(
    int Patients,
    int Complete,
    int Partial,
    int Failed,
    int ObservationsFetched,
    TimeSpan Duration,
    ImmutableArray<SyncResult> Results);
