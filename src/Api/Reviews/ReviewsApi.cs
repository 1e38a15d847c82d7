using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Benefit.Api.Data;
using Benefit.Api.Models;
using Benefit.Api.Observations;
using Benefit.Api.Patients;
using Benefit.Api.Recommendations;
using Benefit.Api.Security;
using Benefit.Fhir.Sync;
using Benefit.Loyalty;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Patients;
using Benefit.Recommender.Serving;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Api.Reviews;

public static class ReviewsApi
{
    public static IEndpointRouteBuilder MapReviewsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/patients/{id}").WithTags("Reviews").RequireAuthorization(p => p.RequireRole(Roles.Clinician));

        api.MapGet("/review", GetReview)
            .WithName(nameof(GetReview))
            .WithSummary("Everything a clinician reviews, safety first: alerts (critical first), interventions withheld for safety and why, clearances in force, then measurements, suggestions with reasons, preferences, choices, decisions, points")
            .WithPatientAccess(PatientAccess.CareTeam, "review.read");

        api.MapPost("/review-decisions", PostDecision)
            .WithName(nameof(PostDecision))
            .WithSummary("Endorse, hide, add an intervention, clear one that needs clearance or revoke that, or note — no justification required; 409 for a contraindicated intervention")
            .WithPatientAccess(PatientAccess.CareTeam, "review.decide")
            .RequireRateLimiting(RateLimits.Writes);
        api.MapPut("/conditions", PutConditions)
            .WithName(nameof(PutConditions))
            .WithSummary("Conditions the safety filter must respect that measurements do not show (recent cardiac event, heart failure NYHA III-IV, pregnancy …)")
            .WithPatientAccess(PatientAccess.CareTeam, "conditions.write")
            .RequireRateLimiting(RateLimits.Writes);
        return app;
    }

    public static async Task<Results<Ok<ConditionsView>, ProblemHttpResult>> PutConditions(string id, ConditionsRequest request, BenefitDb db, CancellationToken ct)
    {
        var patient = await db.Patients.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (patient is null)
            return PatientProblems.NotFound(id);
        patient.KnownConditions = PatientConditions.Format(request.Conditions);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new ConditionsView(id, PatientConditions.Parse(patient.KnownConditions).Order().ToList()));
    }

    public static async Task<Results<Ok<ReviewView>, ProblemHttpResult>> GetReview(
        string id, PatientRecommendations recommendations, SafetyPicture safety, PointsLedger ledger, BenefitDb db, CancellationToken ct)
    {
        if (await recommendations.ForAsync(id, 5, ct) is not { } built)
            return PatientProblems.NotFound(id);
        var patient = await db.Patients.AsNoTracking().Include(p => p.CareTeam).FirstAsync(p => p.Id == id, ct);
        var state = built.Sync;
        var suggestions = RecommendationsView.From("review", built.List, built.Request.Patient);
        IReadOnlyList<Exclusion> excluded = built.List.Excluded;
        var choices = await db.Choices.AsNoTracking().Where(c => c.PatientId == id).OrderByDescending(c => c.Id).Take(50)
            .Select(c => new ChoiceView(c.Id, c.InterventionId, c.Kind, c.At)).ToListAsync(ct);
        var decisions = await db.ReviewDecisions.AsNoTracking().Where(d => d.PatientId == id).OrderByDescending(d => d.Id).Take(50)
            .Select(d => new DecisionView(d.Id, d.Kind, d.InterventionId, d.Note, d.ClinicianId, d.Source, d.At)).ToListAsync(ct);

        return TypedResults.Ok(new ReviewView(
            PatientDto.From(patient),
            safety.Alerts(built.Request.Patient), safety.Withheld(excluded), safety.Cleared(safety.Check(built.Request)),
            new ObservationsView(id, state?.Snapshot, state?.LastStatus?.ToString().ToLowerInvariant() ?? "never-synced", state?.LastReason, state?.LastAttemptAt),
            suggestions, excluded, built.Request.Patient.Preferences, choices, decisions,
            await ledger.GetStatementAsync(id, ct: ct)));
    }

    /// <summary>
    /// Records a decision. Endorsing, adding or clearing a contraindicated intervention is refused with 409 and the reason (it
    /// cannot be cleared); endorsing or adding one that needs clearance clears it, and the answer says so; the patient's own
    /// "not for me" or "not now" stands and the answer says that too.
    /// </summary>
    public static async Task<Results<Created<DecisionView>, ProblemHttpResult>> PostDecision(
        string id, DecisionRequest request, ClaimsPrincipal user, HttpContext http, BenefitDb db, InterventionCatalog catalog,
        PatientRecommendations recommendations, SafetyPicture safety, TimeProvider clock, CancellationToken ct)
    {
        if (request.Kind == ReviewKinds.Note ? string.IsNullOrWhiteSpace(request.Note) : request.InterventionId is null)
            return TypedResults.Problem(statusCode: 400, title: "Incomplete decision",
                detail: request.Kind == ReviewKinds.Note ? "A note needs its text in 'note'." : $"'{request.Kind}' needs 'interventionId'.",
                extensions: new Dictionary<string, object?> { ["field"] = request.Kind == ReviewKinds.Note ? "note" : "interventionId" });
        var item = request.InterventionId is null ? null : catalog.Find(request.InterventionId);
        if (request.InterventionId is not null && item is null)
            return TypedResults.Problem(statusCode: 422, title: "Unknown intervention", detail: $"There is no intervention '{request.InterventionId}'.",
                extensions: new Dictionary<string, object?> { ["field"] = "interventionId" });
        http.SetAuditDetail(item is null ? request.Kind : $"{request.Kind} {item.Id}");

        var notices = new List<DecisionNotice>();
        if (item is not null && await recommendations.ContextAsync(id, 5, ct) is { } built)
        {
            var check = safety.Check(built.Request);
            if (DecisionNotices.Contraindicated(request.Kind, item, check, safety) is { } refused)
                return refused;
            notices.AddRange(DecisionNotices.For(request.Kind, item, check));
        }
        var decision = await RecordAsync(db, id, user.Subject(), request.Kind, request.InterventionId, request.Note, "review", clock, ct);
        return TypedResults.Created($"/patients/{id}/review-decisions/{decision.Id}", decision with { Notices = notices });
    }

    /// <summary>Stores a decision (also used by CDS Hooks feedback); it is training signal as well as care record.</summary>
    public static async Task<DecisionView> RecordAsync(BenefitDb db, string patientId, string clinician, string kind, string? interventionId,
        string? note, string source, TimeProvider clock, CancellationToken ct)
    {
        var decision = new ReviewDecision
        {
            PatientId = patientId, ClinicianId = clinician, Kind = kind, InterventionId = interventionId, Note = note, Source = source,
            At = clock.GetUtcNow().UtcDateTime,
        };
        db.ReviewDecisions.Add(decision);
        await db.SaveChangesAsync(ct);
        return new DecisionView(decision.Id, decision.Kind, decision.InterventionId, decision.Note, decision.ClinicianId, decision.Source, decision.At);
    }
}
