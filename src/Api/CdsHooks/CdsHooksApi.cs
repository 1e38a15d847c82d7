using System.Security.Claims;
using System.Text.Json;
using Benefit.Api.Audit;
using Benefit.Api.Data;
using Benefit.Api.Models;
using Benefit.Api.Patients;
using Benefit.Api.Recommendations;
using Benefit.Api.Reviews;
using Benefit.Api.Security;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Serving;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Api.CdsHooks;

/// <summary>CDS Hooks 2.0: the EHR asks on a clinician's behalf (their bearer token) and shows our suggestions as cards.</summary>
public static class CdsHooksApi
{
    public const string ServiceId = "benefit-lifestyle";
    public const string Hook = "patient-view";
    public const string Source = "cds-hooks";

    public static readonly CdsServiceDescription Service = new(Hook, ServiceId, "Benefit lifestyle suggestions",
        "Proven lifestyle interventions for a cardiac-rehab patient (coaching, activity, smoking cessation, diet, stress), " +
        "ranked for this patient with plain reasons from their measurements and preferences.",
        new Dictionary<string, string> { [CdsRequests.ObservationsKey] = CdsObservations.PrefetchTemplate },
        "The user must be on the patient's care team in Benefit; other patients get no cards.");

    public static IEndpointRouteBuilder MapCdsHooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/cds-services").WithTags("CDS Hooks").RequireAuthorization(p => p.RequireRole(Roles.Clinician))
            .RequireCors(CdsHooksOptions.CorsPolicy);

        api.MapGet("", Discover).WithName(nameof(Discover)).WithSummary("CDS Hooks discovery: the patient-view service and its prefetch templates");

        api.MapPost("/{service}", CallService)
            .WithName(nameof(CallService))
            .WithSummary("patient-view: one critical or warning card per alert (with its threshold and source), then one info card per suggestion, with reasons and a link to the review page; no cards for other care teams")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/{service}/feedback", Feedback)
            .WithName(nameof(Feedback))
            .WithSummary("Accepted / overridden per card, stored as review decisions (endorse / hide); an override reason is optional")
            .RequireRateLimiting(RateLimits.Writes)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static Ok<CdsDiscovery> Discover() => TypedResults.Ok(new CdsDiscovery([Service]));

    public static async Task<Results<Ok<CdsResponse>, ProblemHttpResult>> CallService(
        string service, JsonElement body, ClaimsPrincipal user, HttpContext http, BenefitDb db, AuditLog audit,
        PatientRecommendations recommendations, CdsObservations observations, SafetyPicture safety, TimeProvider clock,
        CancellationToken ct)
    {
        if (service != ServiceId)
            return UnknownService(service);
        var (request, error) = CdsRequests.ParseHook(body, Hook);
        if (request is null)
            return TypedResults.Problem(statusCode: 400, title: "Malformed hook request", detail: error);
        if (request.UserId is { } userId && userId.Split('/')[^1] != user.Subject())
            return TypedResults.Problem(statusCode: 400, title: "Malformed hook request",
                detail: $"'context.userId' ({userId}) is not the signed-in clinician.");

        var patientId = await ResolvePatientAsync(db, request, ct);
        if (patientId is null || !await PatientAccessExtensions.IsAllowedAsync(db, user, patientId, PatientAccess.CareTeam, ct))
        {
            // No cards rather than an error: the EHR shows nothing, and nothing about the patient leaks.
            await audit.RecordAsync(user, patientId ?? request.PatientId, "cds.patient-view", "denied", cancellationToken: ct);
            return TypedResults.Ok(new CdsResponse([]));
        }
        if (await recommendations.ContextAsync(patientId, 5, ct) is not { } built)
            return TypedResults.Ok(new CdsResponse([]));

        var (measured, source, prefetchError) = await observations.ReadAsync(patientId, request, ct);
        if (prefetchError is not null)
            return TypedResults.Problem(statusCode: 400, title: "Malformed hook request", detail: prefetchError);
        var recommendationRequest = measured is null ? built.Request
            : built.Request with { Patient = built.Request.Patient with { Observations = measured } };
        var list = recommendations.Rank(recommendationRequest);

        var reviewUrl = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/clinician";
        var now = clock.GetUtcNow().UtcDateTime;
        // Alerts first, as on the review page; an info-level alert is for the plan and stays on the page.
        var cards = safety.Alerts(recommendationRequest.Patient).Where(a => a.Level is "critical" or "warning")
            .Select(a => CdsCards.Alert(a, Guid.NewGuid().ToString(), patientId, reviewUrl)).ToList();
        foreach (var item in list.Items)
        {
            var cardId = Guid.NewGuid().ToString();
            cards.Add(CdsCards.Build(item, list, recommendationRequest.Patient, cardId, patientId, reviewUrl));
            // Each card is an impression keyed by its uuid, so feedback finds the intervention and training sees what was shown.
            db.Impressions.Add(new Impression
            {
                ListId = cardId, PatientId = patientId, InterventionId = item.Intervention.Id, Rank = item.Rank, Score = item.Score,
                ModelVersion = list.ModelVersion, Personalised = list.Personalised, ServedAt = now,
            });
        }
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(user, patientId, "cds.patient-view", "allowed", source, ct);
        return TypedResults.Ok(new CdsResponse(cards));
    }

    public static async Task<Results<Ok<CdsFeedbackResult>, ProblemHttpResult>> Feedback(
        string service, JsonElement body, ClaimsPrincipal user, BenefitDb db, AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        if (service != ServiceId)
            return UnknownService(service);
        var (items, error) = CdsRequests.ParseFeedback(body);
        if (items is null)
            return TypedResults.Problem(statusCode: 400, title: "Malformed feedback", detail: error);

        var cardIds = items.Select(i => i.Card).ToList();
        var cards = await db.Impressions.AsNoTracking().Where(i => cardIds.Contains(i.ListId)).ToDictionaryAsync(i => i.ListId, ct);
        if (items.FirstOrDefault(i => !cards.ContainsKey(i.Card)) is { } unknown)
            return TypedResults.Problem(statusCode: 400, title: "Unknown card", detail: $"No card '{unknown.Card}' was issued by this service.");
        foreach (var patientId in cards.Values.Select(c => c.PatientId).Distinct())
        {
            if (!await PatientAccessExtensions.IsAllowedAsync(db, user, patientId, PatientAccess.CareTeam, ct))
            {
                await audit.RecordAsync(user, patientId, "cds.feedback", "denied", cancellationToken: ct);
                return TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: $"You may not access patient '{patientId}'.");
            }
        }

        var ids = new List<long>();
        foreach (var item in items)
        {
            var card = cards[item.Card];
            // Accepting recommends it to the patient; overriding hides it for them. The reason is kept only when one was given.
            var kind = item.Outcome == "accepted" ? ReviewKinds.Endorse : ReviewKinds.Hide;
            var decision = await ReviewsApi.RecordAsync(db, card.PatientId, user.Subject(), kind, card.InterventionId, item.OverrideReason,
                Source, clock, ct);
            ids.Add(decision.Id);
            await audit.RecordAsync(user, card.PatientId, "cds.feedback", "allowed", $"{kind} {card.InterventionId}", ct);
        }
        return TypedResults.Ok(new CdsFeedbackResult(ids.Count, ids));
    }

    private static async Task<string?> ResolvePatientAsync(BenefitDb db, CdsHookRequest request, CancellationToken ct)
    {
        // The EHR names its own FHIR Patient id; Benefit patients link to one, and demo patients share the id.
        if (await db.Patients.AnyAsync(p => p.Id == request.PatientId, ct))
            return request.PatientId;
        var linked = db.Patients.AsNoTracking().Where(p => p.FhirPatientId == request.PatientId);
        if (request.FhirServer is { } server)
            linked = linked.Where(p => p.FhirServer == server || p.FhirServer == server.TrimEnd('/'));
        var ids = await linked.OrderBy(p => p.Id).Select(p => p.Id).Take(2).ToListAsync(ct);
        return ids.Count == 1 ? ids[0] : null;
    }

    private static ProblemHttpResult UnknownService(string service) =>
        TypedResults.Problem(statusCode: 404, title: "Unknown CDS service", detail: $"There is no CDS service '{service}'; see GET /cds-services.");
}
