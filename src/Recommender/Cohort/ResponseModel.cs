using Benefit.Recommender.Catalog;
using Benefit.Recommender.Patients;

namespace Benefit.Recommender.Cohort;

/// <summary>
/// The hidden truth of the generated cohort: how likely a patient is to take an intervention up and keep it up.
/// Its coefficients come from data/response-model.json (documented in data/README.md); the model never sees it, it only sees
/// the outcomes it produces.
/// </summary>
public sealed class ResponseModel(ResponseModelCoefficients coefficients, int seed)
{
    private readonly Dictionary<string, (double Bias, double[] Taste)> _items = new(StringComparer.Ordinal);

    /// <summary>The population the default cohort and model were built with.</summary>
    public ResponseModel(int seed) : this(ResponseModelCoefficients.Default, seed)
    {
    }

    public ResponseModelCoefficients Coefficients => coefficients;

    public double KeepUpProbability(CohortPatient patient, PatientContext context, Intervention item)
    {
        var (bias, taste) = ItemTraits(item.Id);
        var c = coefficients;
        var f = item.Format;
        var logit = c.Intercept + bias;

        var needs = Targets.OutOfRange(context).Select(t => t.Target).ToHashSet();
        logit += c.PerNeedMatched * Math.Min(c.MaxNeedsMatched, item.Targets.Count(needs.Contains));
        logit += c.GoalMatch * Math.Min(1, item.Targets.Count(context.Preferences.Goals.Contains));
        if (needs.Count > 0 && !item.Targets.Any(needs.Contains)) logit += c.NoNeedAddressed;

        var pref = context.Preferences;
        logit += Match(pref.Guidance, f.Guidance, c.GuidanceMatch) + Match(pref.Delivery, f.Delivery, c.DeliveryMatch)
            + Match(pref.Setting, f.Setting, c.SettingMatch);
        if (pref.MaxCostEuroCents is { } max && item.CostEuroCents > max) logit += c.OverMaxCost;
        if (pref.MinutesPerWeek is { } minutes && item.Intensity.MinutesPerWeek > minutes * c.OverMinutesFactor) logit += c.OverMinutes;

        var free = item.CostEuroCents == 0;
        var groupInPerson = f.Delivery == Delivery.InPerson && f.Setting == Setting.Group;
        var remote = f.Delivery != Delivery.InPerson;
        var ses = c.Ses(patient.SocioEconomicBand);
        logit += (free ? ses.Free : ses.Paid) + (groupInPerson ? ses.InPersonGroup : 0)
            + (remote && f.Guidance == Guidance.Unguided ? ses.UnguidedRemote : 0) + (remote ? ses.Remote : 0);
        if (patient.Age >= 75) logit += (f.Delivery == Delivery.App ? c.Age75App : 0) + (groupInPerson ? c.Age75InPersonGroup : 0);
        if (patient.Sex == "female" && f.Setting == Setting.Group) logit += c.WomenGroup;
        if (context.Language is { } lang && !item.Languages.Contains(lang)) logit += c.LanguageMismatch;

        // Individual taste that no profile field explains: only the identity fields can learn it.
        var dot = 0.0;
        for (var k = 0; k < taste.Length; k++) dot += patient.Taste[k] * taste[k];
        logit += c.TasteWeight * dot;
        return 1 / (1 + Math.Exp(-logit));
    }

    private (double Bias, double[] Taste) ItemTraits(string id)
    {
        lock (_items)
        {
            if (_items.TryGetValue(id, out var traits)) return traits;
            var rng = new Random(seed ^ StableHash(id));
            traits = (PatientSampler.Normal(rng, 0, coefficients.ItemAppealSd),
                [.. Enumerable.Range(0, PatientSampler.TasteDimensions).Select(_ => PatientSampler.Normal(rng, 0, coefficients.ItemTasteSd))]);
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
