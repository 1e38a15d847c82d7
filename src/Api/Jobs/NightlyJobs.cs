using Benefit.Api.Data;
using Benefit.Fhir.Sync;
using Benefit.Loyalty;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Benefit.Api.Jobs;

/// <summary>01:00 — pull observations of every patient who consented to personalisation or training.</summary>
public sealed class FhirSyncJob(IServiceScopeFactory scopes, FhirSyncService sync, JobRunGuard guard, IOptions<JobsOptions> options,
    TimeProvider clock, ILogger<FhirSyncJob> logger) : GuardedJob(guard, options.Value, clock, logger)
{
    public const string JobName = "fhir-sync";
    protected override string Name => JobName;

    protected override async Task<string> ExecuteAsync(string runKey, CancellationToken ct)
    {
        List<PatientLink> links;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BenefitDb>();
            links = await db.Patients.AsNoTracking()
                .Where(p => db.Consents.Any(c => c.PatientId == p.Id && (c.Personalisation || c.Training)))
                .OrderBy(p => p.Id)
                .Select(p => new PatientLink(p.Id, p.FhirServer, p.FhirPatientId))
                .ToListAsync(ct);
        }
        var summary = await sync.SyncManyAsync(links, ct);
        return $"{summary.Patients} patients: {summary.Complete} complete, {summary.Partial} partial, {summary.Failed} failed, " +
               $"{summary.ObservationsFetched} observations in {summary.Duration.TotalSeconds:F1} s";
    }
}

/// <summary>03:00 — expire points older than their lifetime, lapsed reservations, and old idempotency keys.</summary>
public sealed class PointsExpiryJob(PointsLedger ledger, JobRunGuard guard, IOptions<JobsOptions> options, TimeProvider clock,
    ILogger<PointsExpiryJob> logger) : GuardedJob(guard, options.Value, clock, logger)
{
    public const string JobName = "points-expiry";
    protected override string Name => JobName;

    protected override async Task<string> ExecuteAsync(string runKey, CancellationToken ct)
    {
        // Reservations first, so points they hand back can expire in the same run.
        var reservations = await ledger.ExpireReservationsAsync(ct);
        var points = await ledger.ExpirePointsAsync(ct);
        var keys = await ledger.PurgeIdempotencyKeysAsync(ct);
        return $"{points} points expired, {reservations} reservations released, {keys} idempotency keys purged";
    }
}

/// <summary>Every few minutes — an unconfirmed reservation returns its points and stock once its timeout passes; safe to run any number of times.</summary>
public sealed class ReservationExpiryJob(PointsLedger ledger)
{
    public const string JobName = "reservation-expiry";

    public async Task<string> RunAsync(CancellationToken ct) => $"{await ledger.ExpireReservationsAsync(ct)} reservations released";
}
