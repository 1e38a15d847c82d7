using Benefit.Recommender.Catalog;
using Benefit.Recommender.Patients;

namespace Benefit.Recommender.Cohort;

/// <summary>
/// The hidden truth of the generated cohort: how likely a patient is to take an intervention up and keep it up.
/// Documented in data/README.md; the model never sees it, it only sees the outcomes it produces.
/// </summary>
public sealed class ResponseModel(int seed)
{
    private readonly Dictionary<string, (double Bias, double[] Taste)> _items = new(StringComparer.Ordinal);

    public double KeepUpProbability(CohortPatient patient, PatientContext context, Intervention item)
    {
        var (bias, taste) = ItemTraits(item.Id);
        var f = item.Format;
        var logit = -1.6 + bias;

        var needs = Targets.OutOfRange(context).Select(t => t.Target).ToHashSet();
        logit += 0.9 * Math.Min(2, item.Targets.Count(needs.Contains));
        logit += 0.7 * Math.Min(1, item.Targets.Count(context.Preferences.Goals.Contains));
        if (needs.Count > 0 && !item.Targets.Any(needs.Contains)) logit -= 0.6;

        var pref = context.Preferences;
        logit += Match(pref.Guidance, f.Guidance, 0.6) + Match(pref.Delivery, f.Delivery, 0.7) + Match(pref.Setting, f.Setting, 0.5);
        if (pref.MaxCostEuroCents is { } max && item.CostEuroCents > max) logit -= 1.8;
        if (pref.MinutesPerWeek is { } minutes && item.Intensity.MinutesPerWeek > minutes * 1.5) logit -= 0.8;

        var free = item.CostEuroCents == 0;
        var groupInPerson = f.Delivery == Delivery.InPerson && f.Setting == Setting.Group;
        switch (patient.SocioEconomicBand)
        {
            case "low":
                logit += (free ? 0.4 : -1.2) + (groupInPerson ? 0.9 : 0) + (f.Delivery != Delivery.InPerson && f.Guidance == Guidance.Unguided ? -0.9 : 0);
                break;
            case "high":
                logit += (f.Delivery != Delivery.InPerson ? 0.4 : 0) + (free ? 0 : 0.1);
                break;
            default:
                logit += free ? 0.2 : -0.4;
                break;
        }
        if (patient.Age >= 75) logit += (f.Delivery == Delivery.App ? -0.9 : 0) + (groupInPerson ? 0.3 : 0);
        if (patient.Sex == "female" && f.Setting == Setting.Group) logit += 0.3;
        if (context.Language is { } lang && !item.Languages.Contains(lang)) logit -= 1.0;

        // Individual taste that no profile field explains: only the identity fields can learn it.
        var dot = 0.0;
        for (var k = 0; k < taste.Length; k++) dot += patient.Taste[k] * taste[k];
        logit += 0.8 * dot;
        return 1 / (1 + Math.Exp(-logit));
    }

    private (double Bias, double[] Taste) ItemTraits(string id)
    {
        lock (_items)
        {
            if (_items.TryGetValue(id, out var traits)) return traits;
            var rng = new Random(seed ^ StableHash(id));
            traits = (PatientSampler.Normal(rng, 0, 0.4),
                [.. Enumerable.Range(0, PatientSampler.TasteDimensions).Select(_ => PatientSampler.Normal(rng, 0, 1))]);
            _items[id] = traits;
            return traits;
        }
    }

    private static double Match<T>(T? wanted, T actual, double weight) where T : struct, Enum =>
        wanted is not { } w ? 0 : EqualityComparer<T>.Default.Equals(w, actual) ? weight : -weight;

    /// <summary>FNV-1a, because string.GetHashCode differs between processes.</summary>
    public static int StableHash(string s)
    {
        var h = 2166136261u;
        foreach (var c in s) h = (h ^ c) * 16777619u;
        return (int)h;
    }
}
