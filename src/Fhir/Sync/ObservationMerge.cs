using System.Collections.Immutable;
using Hl7.Fhir.Model;

namespace Benefit.Fhir.Sync;

/// <summary>Applies fetched Observations to the stored set: de-duplicates on id + version and honours status changes.</summary>
internal static class ObservationMerge
{
    public sealed record Outcome(ImmutableArray<StoredObservation> Observations, int Changed, IReadOnlySet<string> ChangedIds);

    /// <remarks>
    /// entered-in-error removes the observation; amended/corrected replace it (a newer version of the same id);
    /// cancelled is kept as the current version so an older final value stops counting, and mapping skips it.
    /// An older version than the stored one (overlap or out-of-order pages) is ignored.
    /// After a full fetch (<paramref name="fetchedIsEverything"/>) a stored observation the server no longer returns is dropped.
    /// </remarks>
    public static Outcome Apply(IEnumerable<StoredObservation> stored, IReadOnlyCollection<Observation> fetched, bool fetchedIsEverything = false)
    {
        var byId = stored.ToDictionary(o => o.Id, StringComparer.Ordinal);
        var changedIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var observation in fetched)
        {
            if (observation.Id is not { Length: > 0 } id)
                continue;
            var json = FhirJson.Serialize(observation);
            var incoming = new StoredObservation(id, observation.Meta?.VersionId, observation.Meta?.LastUpdated, json);
            byId.TryGetValue(id, out var current);
            if (current is not null && IsSameOrOlder(incoming, current))
                continue;
            if (observation.Status == ObservationStatus.EnteredInError)
            {
                if (byId.Remove(id))
                    changedIds.Add(id);
                continue;
            }
            byId[id] = incoming;
            changedIds.Add(id);
        }
        if (fetchedIsEverything)
        {
            var present = fetched.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in byId.Keys.Where(id => !present.Contains(id)).ToList())
            {
                byId.Remove(gone);
                changedIds.Add(gone);
            }
        }
        var ordered = byId.Values.OrderBy(o => o.Id, StringComparer.Ordinal).ToImmutableArray();
        return new Outcome(ordered, changedIds.Count, changedIds);
    }

    private static bool IsSameOrOlder(StoredObservation incoming, StoredObservation current)
    {
        if (incoming.VersionId is not null && incoming.VersionId == current.VersionId)
            return true;
        if (incoming.LastUpdated is { } a && current.LastUpdated is { } b && a < b)
            return true;
        return incoming.VersionId is null && incoming.Json == current.Json;
    }
}
