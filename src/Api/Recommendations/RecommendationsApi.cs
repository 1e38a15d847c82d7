using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Benefit.Api.Data;
using Benefit.Api.Models;
using Benefit.Api.Patients;
using Benefit.Api.Security;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Patients;
using Benefit.Recommender.Serving;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Benefit.Api.Recommendations;

public static class RecommendationsApi
{
    public static IEndpointRouteBuilder MapRecommendationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/patients/{id}").WithTags("Recommendations").RequireAuthorization();

        api.MapGet("/recommendations", GetRecommendations)
            .WithName(nameof(GetRecommendations))
            .WithSummary("Ranked, explained suggestions: safety filter first, then the model, then diversity; each with 2-3 plain reasons")
            .WithPatientAccess(PatientAccess.SelfOrCareTeam, "recommendations.read");

        api.MapGet("/preferences", GetPreferences)
            .WithName(nameof(GetPreferences))
            .WithSummary("What matters to the patient")
            .WithPatientAccess(PatientAccess.SelfOrCareTeam, "preferences.read");

        api.MapPut("/preferences", PutPreferences)
            .WithName(nameof(PutPreferences))
            .WithSummary("Say what matters to me: format, cost, time per week, goals; every field optional")
            .WithPatientAccess(PatientAccess.Self, "preferences.write")
            .RequireRateLimiting(RateLimits.Writes);

        api.MapPost("/choices", PostChoice)
            .WithName(nameof(PostChoice))
            .WithSummary("Enrol, 'not for me' or 'not now': one click, no reason asked; enrolling in something not suggested is fine")
            .WithPatientAccess(PatientAccess.Self, "choices.write")
            .RequireRateLimiting(RateLimits.Writes);
        return app;
    }

    /// <summary>
    /// The served list is stored once (with the patient's context as the model saw it) and item by item (rank, score,
    /// propensity): the nightly retrain learns from these rows and the outcomes that follow them.
    /// </summary>
    public static async Task<Results<Ok<RecommendationsView>, ProblemHttpResult>> GetRecommendations(
        string id, PatientRecommendations recommendations, RecommendationOptions rules, BenefitDb db, TimeProvider clock, CancellationToken ct,
        [Range(1, 20)] int limit = 5)
    {
        var listId = Guid.NewGuid().ToString("N");
        var now = clock.GetUtcNow().UtcDateTime;
        // Exploration is drawn from the patient and the moment, not the random list id, so a seeded simulation replays exactly.
        if (await recommendations.ForAsync(id, limit, ct, explorationKey: $"{id}/{now.Ticks}") is not { List: var list } built)
            return PatientProblems.NotFound(id);

        db.ServedLists.Add(new ServedListRecord
        {
            ListId = listId, PatientId = id, ServedAt = now, ModelVersion = list.ModelVersion, Personalised = list.Personalised,
            ExplorationShare = list.Personalised ? rules.ExplorationShare : 0,
            ContextJson = ServedContextJson.Write(built.Request.Patient), CandidatesJson = ServedContextJson.Write(list.Candidates),
        });
        db.Impressions.AddRange(list.Items.Select(r => new Impression
        {
            ListId = listId, PatientId = id, InterventionId = r.Intervention.Id, Rank = r.Rank, Score = r.Score,
            ModelVersion = list.ModelVersion, Personalised = list.Personalised, ServedAt = now, Propensity = r.Propensity, Explored = r.Explored,
        }));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(RecommendationsView.From(listId, list));
    }

    public static async Task<Ok<Preferences>> GetPreferences(string id, BenefitDb db, CancellationToken ct)
    {
        var row = await db.Preferences.AsNoTracking().FirstOrDefaultAsync(p => p.PatientId == id, ct);
        return TypedResults.Ok(row is null ? new Preferences() : JsonSerializer.Deserialize<Preferences>(row.Json, PatientContextBuilder.Json)!);
    }

    public static async Task<Results<Ok<Preferences>, ProblemHttpResult>> PutPreferences(
        string id, PreferencesRequest request, BenefitDb db, TimeProvider clock, CancellationToken ct)
    {
        if (!await db.Patients.AnyAsync(p => p.Id == id, ct))
            return PatientProblems.NotFound(id);
        var preferences = request.ToPreferences();
        var row = await db.Preferences.FirstOrDefaultAsync(p => p.PatientId == id, ct);
        if (row is null)
            db.Preferences.Add(row = new PatientPreferencesRecord { PatientId = id, Json = "" });
        row.Json = JsonSerializer.Serialize(preferences, PatientContextBuilder.Json);
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(preferences);
    }

    public static async Task<Results<Created<ChoiceView>, ProblemHttpResult>> PostChoice(
        string id, ChoiceRequest request, BenefitDb db, InterventionCatalog catalog, TimeProvider clock, CancellationToken ct)
    {
        if (catalog.Find(request.InterventionId) is null)
            return TypedResults.Problem(statusCode: 422, title: "Unknown intervention",
                detail: $"There is no intervention '{request.InterventionId}'.", extensions: new Dictionary<string, object?> { ["field"] = "interventionId" });
        if (!await db.Patients.AnyAsync(p => p.Id == id, ct))
            return PatientProblems.NotFound(id);
        var choice = new PatientChoice
        {
            PatientId = id, InterventionId = request.InterventionId, Kind = request.Kind, ListId = request.ListId,
            At = clock.GetUtcNow().UtcDateTime,
        };
        db.Choices.Add(choice);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/patients/{id}/choices/{choice.Id}", new ChoiceView(choice.Id, choice.InterventionId, choice.Kind, choice.At));
    }
}

public sealed record ChoiceRequest
{
    [Required, MaxLength(64)]
    public required string InterventionId { get; init; }
    [Required, AllowedValues(ChoiceKinds.Enrol, ChoiceKinds.NotForMe, ChoiceKinds.NotNow, ErrorMessage = "One of enrol, not-for-me, not-now.")]
    public required string Kind { get; init; }
    /// <summary>The served list this answers, when it answers one.</summary>
    [MaxLength(64)]
    public string? ListId { get; init; }
}

public sealed record ChoiceView(long Id, string InterventionId, string Kind, DateTime At);

public sealed record PreferencesRequest
{
    public Guidance? Guidance { get; init; }
    public Delivery? Delivery { get; init; }
    public Setting? Setting { get; init; }
    [Range(0, 1_000_000)]
    public int? MaxCostEuroCents { get; init; }
    [Range(0, 3000)]
    public int? MinutesPerWeek { get; init; }
    [MaxLength(10)]
    public IReadOnlyList<RiskTarget> Goals { get; init; } = [];
    public InterventionCategory? OnlyCategory { get; init; }

    public Preferences ToPreferences() => new()
    {
        Guidance = Guidance, Delivery = Delivery, Setting = Setting, MaxCostEuroCents = MaxCostEuroCents,
        MinutesPerWeek = MinutesPerWeek, Goals = Goals, OnlyCategory = OnlyCategory,
    };
}

public sealed record RecommendationItem(int Rank, string InterventionId, string Name, InterventionCategory Category, float Score,
    bool RecommendedByCareTeam, bool AddedByCareTeam, IReadOnlyList<string> Reasons)
{
    /// <summary>Shown now and then to learn who it suits (new in the catalogue, or outside the usual list); its first reason says so.</summary>
    public bool Explored { get; init; }
    /// <summary>Short clinical reasons ("BP 148/100 mmHg on 6 Nov 2026, target &lt; 140/90"), in the review only; patients read <c>Reasons</c>.</summary>
    public IReadOnlyList<string>? ClinicianReasons { get; init; }
}

public sealed record RecommendationsView(string ListId, string PatientId, string ModelVersion, bool Personalised, string? Notice,
    IReadOnlyList<RecommendationItem> Items)
{
    /// <summary>The list as served; with the patient it was ranked for (<c>forClinician</c>, a clinician reading it) it adds the clinical reasons.</summary>
    public static RecommendationsView From(string listId, RecommendationList list, PatientContext? forClinician = null) => new(listId,
        list.PatientId, list.ModelVersion, list.Personalised, list.Notice,
        list.Items.Select(r => new RecommendationItem(r.Rank, r.Intervention.Id, r.Intervention.Name, r.Intervention.Category, r.Score,
            r.EndorsedByCareTeam, r.AddedByCareTeam,
            r.EndorsedByCareTeam ? ["Recommended by your care team.", .. r.Reasons] : r.Reasons)
        {
            Explored = r.Explored,
            ClinicianReasons = forClinician is null ? null : ReasonBuilder.ForClinician(forClinician, r),
        }).ToList());
}
