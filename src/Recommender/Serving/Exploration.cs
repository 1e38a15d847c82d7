using Benefit.Recommender.Catalog;

namespace Benefit.Recommender.Serving;

/// <summary>
/// A small, seeded share of personalised lists (the draw keyed by the caller's key: the patient and the moment) shows in its last slot an intervention the model knows little about, so the
/// nightly retrain can learn who it suits. The candidate must have passed the safety filter (so it is never contraindicated,
/// hidden, uncleared, declined or postponed), must fit the patient's stated wishes (cost, format, minutes, language), and is
/// drawn from the items the model has never seen first ("new in the catalogue"), else from every such item outside the list.
/// Each item carries its propensity: the probability the policy shows it in this list, for off-policy evaluation.
/// </summary>
public static class Exploration
{
    public const string NewReason = "New in the catalogue: we suggest it to a few people to learn who it suits.";
    public const string TryReason = "Something different to try: now and then we suggest an option outside your usual list, to learn what suits people like you.";

    public static List<Recommendation> Apply(List<Recommendation> items, IReadOnlyList<Intervention> allowed, RecommendationRequest request,
        ModelSnapshot? model, double share, string key, IReadOnlySet<string> endorsed, IReadOnlySet<string> added)
    {
        if (items.Count == 0) return items;
        var last = items[^1];
        // A care team's own pick is never displaced.
        if (endorsed.Contains(last.Intervention.Id) || added.Contains(last.Intervention.Id)) return items;
        var shown = items.Select(r => r.Intervention.Id).ToHashSet(StringComparer.Ordinal);
        var fitting = allowed.Where(i => !shown.Contains(i.Id) && !request.Resting.Contains(i.Id) && Fits(i, request)).ToList();
        var unseen = model is null ? [] : fitting.Where(i => model.Space.InterventionIndex(i.Id) < 0).ToList();
        var pool = unseen.Count > 0 ? unseen : fitting;
        if (pool.Count == 0) return items;

        var draw = Uniform(key, 0);
        var result = new List<Recommendation>(items);
        if (draw >= share)
        {
            result[^1] = last with { Propensity = 1 - share };
            return result;
        }
        var pick = pool[(int)(Uniform(key, 1) * pool.Count) % pool.Count];
        result[^1] = new Recommendation(pick, last.Rank, 0, false, false, [unseen.Count > 0 ? NewReason : TryReason, .. ReasonBuilder.For(request.Patient, pick, null, null, true).Take(2)])
        {
            Propensity = share / pool.Count,
            Explored = true,
        };
        return result;
    }

    /// <summary>Within what the patient said they want: cost, guidance, delivery, setting, minutes per week and language.</summary>
    public static bool Fits(Intervention item, RecommendationRequest request)
    {
        var p = request.Patient.Preferences;
        var f = item.Format;
        return (p.MaxCostEuroCents is not { } max || item.CostEuroCents <= max)
               && (p.Guidance is not { } g || g == f.Guidance)
               && (p.Delivery is not { } d || d == f.Delivery)
               && (p.Setting is not { } s || s == f.Setting)
               && (p.MinutesPerWeek is not { } m || item.Intensity.MinutesPerWeek <= m * 1.5)
               && (request.Patient.Language is not { } lang || item.Languages.Contains(lang));
    }

    /// <summary>A uniform number in [0, 1) from the key: seeded, so a list can be reproduced and tests are stable.</summary>
    private static double Uniform(string key, int stream)
    {
        var h = 2166136261u; // FNV-1a: string.GetHashCode differs between processes
        foreach (var c in $"{key}/{stream}") h = (h ^ c) * 16777619u;
        h ^= h >> 15; h *= 0x2c1b3c6du; h ^= h >> 12; // mix, so neighbouring ids do not give neighbouring draws
        return h / (uint.MaxValue + 1.0);
    }
}
