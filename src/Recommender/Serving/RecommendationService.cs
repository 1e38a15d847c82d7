using Benefit.Recommender.Catalog;
using Benefit.Recommender.Patients;

namespace Benefit.Recommender.Serving;

/// <summary>
/// Safety filter, then ranking, then diversity, then (for a small share of lists) exploration, then reasons — pure logic, no
/// HTTP; the API calls <see cref="Recommend"/>. Without a model (<paramref name="ranker"/> null) the guideline rules rank:
/// interventions for out-of-range measurements first, then stated goals, then the catalogue's order.
/// </summary>
public sealed class RecommendationService(Ranker? ranker, InterventionCatalog catalog, RecommendationOptions options, TimeProvider clock)
{
    /// <param name="explorationKey">Given for a list that is served (only those explore): it seeds the exploration draw, so the
    /// same key always gives the same list (the API uses the patient and the moment, so a seeded simulation replays exactly).</param>
    public RecommendationList Recommend(RecommendationRequest request, string? explorationKey = null)
    {
        if (request.Limit < 1 || request.Limit > options.MaxLimit)
            throw new ArgumentOutOfRangeException(nameof(request), $"limit must be between 1 and {options.MaxLimit}");
        var model = ranker?.Current; // read once: the whole list comes from this one version
        var patient = request.Patient;
        var personalised = patient.PersonalisationConsent;
        var (allowed, excluded) = SafetyFilter.Apply(catalog.Items, request, clock.GetUtcNow(), options);
        if (patient.Preferences.OnlyCategory is { } only)
            allowed = allowed.Where(i => i.Category == only).ToList();

        // Without consent nothing about the patient is used: an unknown id and an empty context give the same list to everyone.
        var side = model is null ? null : personalised ? model.Patient(patient) : model.Patient("", new float[model.Space.ContextLength]);
        var needs = personalised ? Targets.OutOfRange(patient).Select(t => t.Target).ToHashSet() : [];
        var endorsed = request.Decisions.Where(d => d.Action == ClinicianAction.Endorse).Select(d => d.InterventionId).ToHashSet(StringComparer.Ordinal);
        var added = request.Decisions.Where(d => d.Action == ClinicianAction.Add).Select(d => d.InterventionId).ToHashSet(StringComparer.Ordinal);

        var allowedIds = allowed.Select(i => i.Id).ToList();
        var candidates = new ServedCandidates(allowedIds, [.. allowedIds.Where(request.Resting.Contains)],
            [.. allowedIds.Where(id => endorsed.Contains(id) || added.Contains(id))], patient.Preferences.OnlyCategory is not null);
        var chosen = Choose(allowed.Select(i => (i, side is not null ? model!.Score(side, i) : GuidelineScore(i, needs, patient.Preferences, personalised))),
            candidates, request.Limit, options);

        var items = chosen.Select((x, n) => new Recommendation(x.Item, n + 1, x.Score, endorsed.Contains(x.Item.Id), added.Contains(x.Item.Id),
            ReasonBuilder.For(patient, x.Item, model, side, personalised))).ToList();
        if (personalised && options.ExplorationShare > 0 && explorationKey is not null)
            items = Exploration.Apply(items, allowed, request, model, options.ExplorationShare, explorationKey, endorsed, added);
        return new RecommendationList(patient.PatientId, model?.Version ?? RecommendationList.GuidelineVersion, personalised, items, excluded)
        {
            Candidates = candidates,
        };
    }

    /// <summary>The guideline rules' score: each out-of-range risk factor it addresses, then each stated goal (a half).</summary>
    public static float GuidelineScore(Intervention item, IReadOnlySet<RiskTarget> needs, Preferences preferences, bool personalised) =>
        !personalised ? 0 : item.Targets.Count(needs.Contains) + 0.5f * item.Targets.Count(preferences.Goals.Contains);

    /// <summary>
    /// The list from scored candidates: the care team's picks first, resting items last, then by score; then diversity. The
    /// off-policy evaluation rebuilds a challenger's list with the same step.
    /// </summary>
    public static List<(Intervention Item, float Score)> Choose(IEnumerable<(Intervention Item, float Score)> scored, ServedCandidates candidates,
        int limit, RecommendationOptions options)
    {
        var ranked = scored.OrderByDescending(x => candidates.CareTeamPicks.Contains(x.Item.Id))
            .ThenBy(x => candidates.Resting.Contains(x.Item.Id))
            .ThenByDescending(x => x.Score).ThenBy(x => x.Item.Id, StringComparer.Ordinal).ToList();
        return Diversify(ranked, limit, candidates.SingleCategory, options);
    }

    /// <summary>At most N per category in the first window (five), unless the patient asked for one category.</summary>
    private static List<(Intervention Item, float Score)> Diversify(List<(Intervention Item, float Score)> ranked, int limit, bool singleCategory,
        RecommendationOptions options)
    {
        if (singleCategory) return ranked.Take(limit).ToList();
        var chosen = new List<(Intervention Item, float Score)>();
        var deferred = new List<(Intervention Item, float Score)>();
        foreach (var x in ranked)
        {
            if (chosen.Count >= limit) break;
            var inWindow = chosen.Count < options.DiversityWindow;
            if (inWindow && chosen.Count(c => c.Item.Category == x.Item.Category) >= options.MaxPerCategoryInWindow) deferred.Add(x);
            else chosen.Add(x);
        }
        foreach (var x in deferred)
            if (chosen.Count < limit) chosen.Add(x);
        return chosen;
    }
}
