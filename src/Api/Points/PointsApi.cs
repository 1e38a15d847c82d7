using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Benefit.Api.Audit;
using Benefit.Api.Data;
using Benefit.Api.Errors;
using Benefit.Api.Patients;
using Benefit.Api.Security;
using Benefit.Loyalty;
using Benefit.Loyalty.Activities;
using Benefit.Loyalty.Idempotency;
using Benefit.Loyalty.Redemptions;
using Benefit.Recommender.Catalog;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Api.Points;

public static class PointsApi
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapPointsApi(this IEndpointRouteBuilder app)
    {
        app.ServiceProvider.GetRequiredService<ProblemMappings>().Map<LedgerException>(PointsProblems.From);
        var api = app.MapGroup("").WithTags("Points");

        api.MapPost("/activities", ReportActivity)
            .WithName(nameof(ReportActivity))
            .WithSummary("Report a verified activity, optionally naming its intervention; returns the points awarded or the reason there are none")
            .WithDescription("interventionId, when given, names the catalogue intervention the attended session belongs to (what the nightly "
                + "retrain learns who kept up from). It must be in the catalogue (GET /interventions) and delivered by the calling provider "
                + "(the token's provider claim); otherwise the answer is 422 with the reason and nothing is awarded.")
            .RequireAuthorization(p => p.RequireRole(Roles.Provider))
            .RequireRateLimiting(RateLimits.Writes)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapGet("/patients/{id}/points", GetPoints)
            .WithName(nameof(GetPoints))
            .WithSummary("Balance, pending, reserved and soon-expiring points, with paged history")
            .RequireAuthorization()
            .WithPatientAccess(PatientAccess.SelfOrCareTeam | PatientAccess.Admin, "points.read");

        api.MapPost("/patients/{id}/redemptions", Redeem)
            .WithName(nameof(Redeem))
            .WithSummary("Reserve a reward: points and stock are held until the partner confirms or cancels")
            .RequireAuthorization()
            .WithPatientAccess(PatientAccess.Self, "points.redeem")
            .RequireRateLimiting(RateLimits.Writes);

        api.MapPost("/patients/{id}/redemptions/{rid:guid}/confirm", ConfirmRedemption)
            .WithName(nameof(ConfirmRedemption))
            .WithSummary("Confirm a reserved redemption: the points are spent")
            .RequireAuthorization()
            .WithPatientAccess(PatientAccess.Self | PatientAccess.Admin, "points.redeem.confirm")
            .RequireRateLimiting(RateLimits.Writes);

        api.MapPost("/patients/{id}/redemptions/{rid:guid}/cancel", CancelRedemption)
            .WithName(nameof(CancelRedemption))
            .WithSummary("Cancel a reserved redemption: points and stock come back")
            .RequireAuthorization()
            .WithPatientAccess(PatientAccess.Self | PatientAccess.Admin, "points.redeem.cancel")
            .RequireRateLimiting(RateLimits.Writes);

        api.MapPost("/admin/reversals", ReverseAward)
            .WithName(nameof(ReverseAward))
            .WithSummary("Reverse an award with a reason; points already spent are recorded as a shortfall, the balance never goes negative")
            .RequireAuthorization(p => p.RequireRole(Roles.Admin))
            .RequireRateLimiting(RateLimits.Writes);

        return app;
    }

    public static async Task<Results<Ok<AwardResult>, ProblemHttpResult>> ReportActivity(
        ReportActivityRequest request, [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey,
        HttpContext http, PointsLedger ledger, BenefitDb db, EnrolledPatients enrolled, AuditLog audit,
        InterventionCatalog catalog, ProviderInterventions delivered, CancellationToken ct)
    {
        var user = http.User;
        if (KeyProblem(idempotencyKey) is { } missing) return missing;
        if (user.ProviderClaim() is not { Length: > 0 } provider)
            return TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: "A provider token must carry a 'provider' claim.");
        if (!await enrolled.ContainsAsync(db, request.PatientId, ct))
            return TypedResults.Problem(statusCode: 422, title: "Unknown patient", detail: $"No enrolled patient '{request.PatientId}'.");
        if (InterventionProblem(request.InterventionId, provider, catalog, delivered) is { } refused)
        {
            await audit.RecordAsync(user, request.PatientId, AwardAuditCompanion.Action, "failed:422", refused.ProblemDetails.Extensions["code"] as string, ct);
            return refused;
        }

        var report = new ActivityReport(request.PatientId, provider, request.ExternalEventId, request.ActivityType, request.OccurredAt,
            InterventionId: request.InterventionId);
        try
        {
            // The "allowed" audit entry is written by AwardAuditCompanion in the award's own transaction.
            return TypedResults.Ok(await ledger.AwardAsync(report, new IdempotencyKey($"provider:{provider}", idempotencyKey!),
                AwardAuditCompanion.Reporter(http), ct));
        }
        catch (LedgerException e)
        {
            await audit.RecordAsync(user, request.PatientId, AwardAuditCompanion.Action, $"failed:{PointsProblems.StatusFor(e.Code)}", e.Code.ToString());
            throw;
        }
    }

    /// <summary>Support (an admin who is not the patient nor on the care team) sees amounts and entry ids, not which activities earned them.</summary>
    public static async Task<Ok<PointsOverview>> GetPoints(
        string id, HttpContext http, PointsLedger ledger, CancellationToken ct,
        [Range(1, 100_000)] int page = 1, [Range(1, 200)] int pageSize = 20)
    {
        var statement = await ledger.GetStatementAsync(id, ct: ct);
        var history = await ledger.GetHistoryAsync(id, page, pageSize, ct);
        if (http.IsSupportView())
            history = history with
            {
                Items = [.. history.Items.Select(e => e with { ActivityType = null, Provider = null, ExternalEventId = null, OccurredAt = null })],
            };
        return TypedResults.Ok(new PointsOverview(statement, history));
    }

    public static async Task<Results<Created<Redemption>, ProblemHttpResult>> Redeem(
        string id, RedemptionBody body, [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey, PointsLedger ledger, CancellationToken ct)
    {
        if (KeyProblem(idempotencyKey) is { } missing) return missing;
        var redemption = await ledger.ReserveAsync(new RedemptionRequest(id, body.RewardId, body.Quantity),
            new IdempotencyKey($"patient:{id}", idempotencyKey!), ct);
        return TypedResults.Created($"/patients/{id}/redemptions/{redemption.Id}", redemption);
    }

    public static async Task<Ok<Redemption>> ConfirmRedemption(string id, Guid rid, PointsLedger ledger, CancellationToken ct) =>
        TypedResults.Ok(await ledger.ConfirmAsync(id, rid, ct));

    public static async Task<Ok<Redemption>> CancelRedemption(string id, Guid rid, PointsLedger ledger, CancellationToken ct) =>
        TypedResults.Ok(await ledger.CancelAsync(id, rid, ct));

    public static async Task<Results<Ok<ReversalResult>, ProblemHttpResult>> ReverseAward(
        ReversalBody body, [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey,
        ClaimsPrincipal user, PointsLedger ledger, AuditLog audit, CancellationToken ct)
    {
        if (KeyProblem(idempotencyKey) is { } missing) return missing;
        var result = await ledger.ReverseAwardAsync(body.AwardEntryId, body.Reason, new IdempotencyKey($"admin:{user.Subject()}", idempotencyKey!), ct);
        await audit.RecordAsync(user, result.PatientId, "points.reverse", "allowed", $"award {result.AwardEntryId}, shortfall {result.Shortfall}", ct);
        return TypedResults.Ok(result);
    }

    /// <summary>Why a report may not name <paramref name="interventionId"/>: not in the catalogue, or not delivered by <paramref name="provider"/>.</summary>
    private static ProblemHttpResult? InterventionProblem(string? interventionId, string provider, InterventionCatalog catalog, ProviderInterventions delivered)
    {
        if (interventionId is null) return null;
        if (catalog.Find(interventionId) is null)
            return InterventionRefused("Unknown intervention", "UnknownIntervention", $"There is no intervention '{interventionId}'.");
        return delivered.Delivers(provider, interventionId) ? null
            : InterventionRefused("Intervention not delivered by this provider", "InterventionNotDelivered", $"'{provider}' does not deliver '{interventionId}'.");
    }

    private static ProblemHttpResult InterventionRefused(string title, string code, string detail) =>
        TypedResults.Problem(statusCode: 422, title: title, detail: detail,
            extensions: new Dictionary<string, object?> { ["field"] = "interventionId", ["code"] = code });

    private static ProblemHttpResult? KeyProblem(string? key) => key switch
    {
        null or "" => TypedResults.Problem(statusCode: 400, title: "Idempotency-Key header required",
            detail: "Send a unique Idempotency-Key header (e.g. a UUID) so a retried request is not applied twice."),
        { Length: > 200 } => TypedResults.Problem(statusCode: 400, title: "Idempotency-Key too long", detail: "Use at most 200 characters."),
        _ => null,
    };
}
