using Benefit.Api.Models;
using Benefit.Fhir.Sync;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Serving;

namespace Benefit.Api.Recommendations;

/// <summary>A patient's context as the recommender saw it, the sync state it came from, and the ranked list.</summary>
public sealed record PatientRecommendation(RecommendationRequest Request, PatientSyncState? Sync, RecommendationList List);

/// <summary>
/// The one way to build a patient's recommendation, used by every route that shows one (the patient's list, the review,
/// CDS Hooks cards, the caseload): the context is loaded once and ranked with the champion served at that moment, or by
/// the guideline rules while no model is loaded (a fresh installation, before its first promotion).
/// </summary>
public sealed class PatientRecommendations(PatientContextBuilder contexts, ModelServing serving, InterventionCatalog catalog,
    RecommendationOptions rules, TimeProvider clock)
{
    /// <summary>Null for an unknown patient. <paramref name="explorationKey"/> marks a list that is served (and may explore).</summary>
    public async Task<PatientRecommendation?> ForAsync(string patientId, int limit, CancellationToken ct, string? explorationKey = null)
    {
        if (await ContextAsync(patientId, limit, ct) is not { } built)
            return null;
        return new PatientRecommendation(built.Request, built.Sync, Rank(built.Request, explorationKey));
    }

    /// <summary>The patient's request and sync state, not ranked yet: for a route that adjusts the request before <see cref="Rank"/>.</summary>
    public Task<(RecommendationRequest Request, PatientSyncState? Sync)?> ContextAsync(string patientId, int limit, CancellationToken ct) =>
        contexts.BuildAsync(patientId, limit, ct);

    /// <summary>Ranks a request (CDS Hooks replaces the observations with the EHR's prefetch first). Only a served list explores.</summary>
    public RecommendationList Rank(RecommendationRequest request, string? explorationKey = null) =>
        new RecommendationService(serving.Ranker, catalog, rules, clock).Recommend(request, explorationKey);
}
