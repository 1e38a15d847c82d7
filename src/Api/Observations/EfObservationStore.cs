using System.Text.Json;
using Benefit.Api.Data;
using Benefit.Fhir.Sync;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Api.Observations;

/// <summary>Keeps each patient's FHIR sync state in the API database, one JSON row per patient.</summary>
public sealed class EfObservationStore(IServiceScopeFactory scopes) : IObservationStore
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<PatientSyncState?> LoadAsync(string patientId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BenefitDb>();
        var row = await db.SyncStates.AsNoTracking().FirstOrDefaultAsync(r => r.PatientId == patientId, cancellationToken);
        return row is null ? null : JsonSerializer.Deserialize<PatientSyncState>(row.StateJson, Json);
    }

    public async Task SaveAsync(PatientSyncState state, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BenefitDb>();
        var row = await db.SyncStates.FirstOrDefaultAsync(r => r.PatientId == state.PatientId, cancellationToken);
        if (row is null)
        {
            row = new PatientSyncRecord { PatientId = state.PatientId, StateJson = "" };
            db.SyncStates.Add(row);
        }
        row.StateJson = JsonSerializer.Serialize(state, Json);
        row.LastStatus = state.LastStatus?.ToString().ToLowerInvariant();
        row.LastReason = state.LastReason;
        row.LastAttemptAt = state.LastAttemptAt?.UtcDateTime;
        row.LastMeasurementAt = state.Snapshot?.Features.Values.Select(f => f.Effective).DefaultIfEmpty().Max().UtcDateTime is { Year: > 1 } newest
            ? newest : null;
        await db.SaveChangesAsync(cancellationToken);
    }
}
