using Benefit.Api.Data;
using Benefit.Api.Patients;
using Benefit.Api.Security;
using Benefit.Fhir;
using Benefit.Fhir.Features;
using Benefit.Fhir.Sync;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Api.Observations;

public static class ObservationsApi
{
    public static IEndpointRouteBuilder MapObservationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/patients/{id}").WithTags("Observations").RequireAuthorization();

        api.MapPost("/fhir-sync", SyncNow)
            .WithName(nameof(SyncNow))
            .WithSummary("Pull the patient's observations from FHIR now; says what was fetched, changed and skipped, and why")
            .WithPatientAccess(PatientAccess.SelfOrCareTeam, "observations.sync")
            .RequireRateLimiting(RateLimits.Writes)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);

        api.MapGet("/observations", GetObservations)
            .WithName(nameof(GetObservations))
            .WithSummary("The patient's feature snapshot with provenance, and the last sync status")
            .WithPatientAccess(PatientAccess.SelfOrCareTeam, "observations.read");
        return app;
    }

    public static async Task<Results<Ok<SyncReport>, ProblemHttpResult>> SyncNow(
        string id, BenefitDb db, FhirSyncService sync, CancellationToken ct)
    {
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (patient is null)
            return PatientProblems.NotFound(id);

        var result = await sync.SyncAndSaveAsync(new PatientLink(patient.Id, patient.FhirServer, patient.FhirPatientId), ct);
        var report = SyncReport.From(result);
        if (result.Status == SyncStatus.Complete)
            return TypedResults.Ok(report);

        // Not complete: the previous snapshot stays in place and the answer says so.
        return TypedResults.Problem(
            statusCode: FhirSyncException.StatusCodeFor(result.Failure),
            title: $"FHIR sync {report.Status}",
            detail: result.Reason,
            extensions: new Dictionary<string, object?> { ["sync"] = report });
    }

    public static async Task<Ok<ObservationsView>> GetObservations(string id, IObservationStore store, CancellationToken ct)
    {
        var state = await store.LoadAsync(id, ct);
        return TypedResults.Ok(new ObservationsView(
            id,
            state?.Snapshot,
            state?.LastStatus?.ToString().ToLowerInvariant() ?? "never-synced",
            state?.LastReason,
            state?.LastAttemptAt));
    }
}

public sealed record SyncReport(string Status, string? Failure, string? Reason, int Fetched, int Changed, int Skipped,
    IReadOnlyDictionary<string, int> SkippedByReason, bool SnapshotIsCurrent, int Features, double DurationMs)
{
    public static SyncReport From(SyncResult r) => new(r.Status.ToString().ToLowerInvariant(),
        r.Failure == FhirSyncFailure.None ? null : r.Failure.ToString(), r.Reason, r.Fetched, r.Changed, r.Skipped,
        r.SkippedByReason, r.SnapshotIsCurrent, r.Snapshot?.Features.Count ?? 0, r.Duration.TotalMilliseconds);
}

/// <summary>The snapshot from the last complete sync (never a partial one) and how the last attempt went.</summary>
public sealed record ObservationsView(string PatientId, FeatureSnapshot? Snapshot, string LastSyncStatus, string? LastSyncReason,
    DateTimeOffset? LastSyncAttemptAt);
