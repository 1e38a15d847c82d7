using Benefit.Recommender.Features;
using Benefit.Recommender.Patients;
using Benefit.Recommender.Training;

namespace Benefit.Recommender.Learning;

/// <summary>Decided exposure outcomes as training rows, in the shape the cohort produces (label: kept up).</summary>
public static class LiveExamples
{
    public static List<TrainingExample> From(IEnumerable<ExposureOutcome> outcomes)
    {
        // A list's items share one context object: encode it once.
        var encoded = new Dictionary<PatientContext, float[]>(ReferenceEqualityComparer.Instance);
        return [.. outcomes.Where(o => o.Decided).OrderBy(o => o.Exposure.ServedAt).ThenBy(o => o.Exposure.PatientId, StringComparer.Ordinal)
            .ThenBy(o => o.Exposure.Rank)
            .Select(o =>
            {
                var e = o.Exposure;
                if (!encoded.TryGetValue(e.Context, out var context))
                    encoded[e.Context] = context = ContextFeatures.Encode(e.Context);
                return new TrainingExample(e.PatientId, e.InterventionId, e.ServedAt, o.KeptUp, Shown: true, context,
                    new Subgroup(e.Context.SocioEconomicBand, e.Context.Sex, e.Context.AgeBand))
                {
                    ListId = e.ListId, Propensity = e.Propensity, ServedContext = e.Context, ServedCandidates = e.Candidates,
                };
            })];
    }
}
