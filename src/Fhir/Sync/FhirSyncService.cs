using System.Collections.Immutable;
using System.Diagnostics;
using Benefit.Fhir.Features;
using Benefit.Fhir.Sources;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Benefit.Fhir.Sync;

/// <summary>Syncs patients' Observations from the configured source into their stored state and feature snapshot.</summary>
public sealed class FhirSyncService(
    IObservationSource source,
    IObservationStore store,
    TimeProvider time,
    IOptions<FhirSourceOptions> options,
    ILogger<FhirSyncService> logger)
{
    private readonly FhirSourceOptions _options = options.Value;

    /// <summary>Loads the patient's state, syncs, and saves the new state (also when the sync failed, to record the attempt).</summary>
    public async Task<SyncResult> SyncAndSaveAsync(PatientLink link, CancellationToken cancellationToken = default)
    {
        var previous = await store.LoadAsync(link.PatientId, cancellationToken);
        var result = await SyncPatientAsync(link, previous, cancellationToken);
        await store.SaveAsync(result.State, cancellationToken);
        return result;
    }

    /// <summary>Fetches (incrementally when <paramref name="previous"/> has a mark) and maps; a sync that is not complete changes nothing but the last-attempt fields.</summary>
    public async Task<SyncResult> SyncPatientAsync(PatientLink link, PatientSyncState? previous, CancellationToken cancellationToken = default)
    {
        previous ??= PatientSyncState.Empty(link.PatientId);
        var started = time.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        var full = previous.Snapshot is null || previous.LastFullSyncAt is not { } lastFull || started - lastFull >= _options.FullResyncInterval;
        var since = full ? null : previous.SyncMark - _options.IncrementalOverlap;

        // A patient is read only from the server their link names: never the configured source on behalf of another server.
        var fetch = _options.IsConfiguredServer(link.Server)
            ? await source.FetchAsync(link.FhirPatientId, since, cancellationToken)
            : FetchResult.Failed(FhirSyncFailure.UnknownServer,
                $"The patient's FHIR server '{link.Server}' is not the source this service reads ('{_options.ServerName}').");
        var fetched = fetch.Observations.Count + fetch.Skipped.Count;

        if (!fetch.IsComplete)
        {
            var status = fetch.Pages > 0 ? SyncStatus.Partial : SyncStatus.Failed;
            var kept = previous with { LastStatus = status, LastFailure = fetch.Failure, LastReason = fetch.FailureMessage, LastAttemptAt = started };
            logger.SyncNotComplete(link.PatientId, fetch.Failure, fetch.FailureMessage);
            return new SyncResult(link.PatientId, status, fetch.Failure, fetch.FailureMessage, fetched, 0, fetch.Skipped.Count,
                CountByReason(fetch.Skipped), previous.Snapshot, SnapshotIsCurrent: false, kept, started, stopwatch.Elapsed);
        }

        var merge = ObservationMerge.Apply(previous.Observations, fetch.Observations, full);
        var current = merge.Observations.Select(o => FhirJson.Parse<Observation>(o.Json));
        var snapshot = FeatureMapper.Map(link.PatientId, source.Server, current, started);
        var fetchedIds = fetch.Observations.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        var skipped = fetch.Skipped.Concat(snapshot.Skipped.Where(s => fetchedIds.Contains(s.ObservationId))).ToList();
        var mark = Max(previous.SyncMark, fetch.Observations.Select(o => o.Meta?.LastUpdated).Max());

        var state = new PatientSyncState(link.PatientId, merge.Observations, mark, snapshot, SyncStatus.Complete, FhirSyncFailure.None, null, started,
            full ? started : previous.LastFullSyncAt);
        logger.SyncFinished(link.PatientId, SyncStatus.Complete, fetched, merge.Changed, skipped.Count, stopwatch.ElapsedMilliseconds);
        return new SyncResult(link.PatientId, SyncStatus.Complete, FhirSyncFailure.None, null, fetched, merge.Changed, skipped.Count,
            CountByReason(skipped), snapshot, SnapshotIsCurrent: true, state, started, stopwatch.Elapsed);
    }

    /// <summary>Syncs many patients with bounded concurrency (Fhir:MaxConcurrentPatients), logging progress; one patient's failure never stops the run.</summary>
    public async Task<BatchSyncSummary> SyncManyAsync(IReadOnlyCollection<PatientLink> links, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var results = new System.Collections.Concurrent.ConcurrentBag<SyncResult>();
        int done = 0, complete = 0, partial = 0, failed = 0;
        var every = Math.Max(1, links.Count / 10);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentPatients, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(links, parallel, async (link, ct) =>
        {
            SyncResult result;
            try
            {
                result = await SyncAndSaveAsync(link, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.SyncCrashed(link.PatientId, e);
                var state = PatientSyncState.Empty(link.PatientId);
                result = new SyncResult(link.PatientId, SyncStatus.Failed, FhirSyncFailure.UpstreamError, e.Message, 0, 0, 0,
                    ImmutableDictionary<string, int>.Empty, null, false, state, time.GetUtcNow(), TimeSpan.Zero);
            }
            results.Add(result);
            _ = result.Status switch
            {
                SyncStatus.Complete => Interlocked.Increment(ref complete),
                SyncStatus.Partial => Interlocked.Increment(ref partial),
                _ => Interlocked.Increment(ref failed),
            };
            var n = Interlocked.Increment(ref done);
            if (n % every == 0 || n == links.Count)
                logger.BatchProgress(n, links.Count, complete, partial, failed);
        });
        var ordered = results.OrderBy(r => r.PatientId, StringComparer.Ordinal).ToImmutableArray();
        return new BatchSyncSummary(links.Count, complete, partial, failed, ordered.Sum(r => r.Fetched), stopwatch.Elapsed, ordered);
    }

    private static ImmutableDictionary<string, int> CountByReason(IEnumerable<SkippedObservation> skipped) =>
        skipped.GroupBy(s => s.Reason).ToImmutableDictionary(g => g.Key, g => g.Count());

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
