using Benefit.Recommender.Catalog;
using Benefit.Recommender.Cohort;
using Benefit.Recommender.Patients;
using Benefit.Recommender.Serving;
using Benefit.Recommender.Training;

namespace Benefit.Recommender.Evaluation;

/// <summary>One holdout patient at the moment of their first holdout row, with what only the generator knows.</summary>
public sealed record PolicyCase(TrainingExample At, CohortPatient Patient, PatientContext Context, bool Known);

/// <summary>
/// Mean true keep-up probability of a ranker's top k (after the safety filter), beside a random list and the oracle's list.
/// Gain G = (ranker − random) / (oracle − random): 0 is no better than chance, 1 is the best list the truth allows.
/// </summary>
public sealed record PolicyValueResult(string Ranker, string Patients, int K, string Dimension, string Group, int Count,
    double Value, double Random, double Oracle)
{
    public double Gain => Oracle - Random <= 0 ? 0 : (Value - Random) / (Oracle - Random);
}

/// <summary>Policy value on a generated cohort, where the response model tells how good any list really is.</summary>
public static class PolicyValue
{
    public static readonly int[] Ks = [3, 5];
    public const string Known = "known", New = "new";

    private static readonly (string Name, Func<Subgroup, string> Key)[] Dimensions =
        [("all", _ => "all"), ("SES band", g => g.SocioEconomicBand), ("sex", g => g.Sex), ("age band", g => g.AgeBand)];

    /// <summary>Each holdout patient's first holdout moment; known when the patient has training rows.</summary>
    public static List<PolicyCase> Cases(IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample> test, Func<string, CohortPatient?> patients)
    {
        var known = train.Select(r => r.PatientId).ToHashSet(StringComparer.Ordinal);
        var cases = new List<PolicyCase>();
        foreach (var first in test.GroupBy(r => r.PatientId).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.MinBy(r => r.Timestamp)!))
        {
            if (patients(first.PatientId) is not { } patient) continue;
            var context = patient.ContextAt(DateOnly.FromDateTime(first.Timestamp.UtcDateTime));
            cases.Add(new PolicyCase(first, patient, context, known.Contains(first.PatientId)));
        }
        return cases;
    }

    /// <summary>
    /// "known" scores the patients who have training rows with their id; "new" scores every holdout patient as if their id had
    /// never been seen (a zero identity vector, as for a patient enrolled today), so context alone must rank them.
    /// </summary>
    public static List<PolicyValueResult> Evaluate(IReadOnlyList<IScorer> rankers, IReadOnlyList<PolicyCase> cases, InterventionCatalog catalog,
        ResponseModel truth)
    {
        var options = new RecommendationOptions();
        var prepared = cases.Select(c =>
        {
            var allowed = SafetyFilter.Apply(catalog.Items, new RecommendationRequest(c.Context), c.At.Timestamp, options).Allowed;
            var p = allowed.Select(i => truth.KeepUpProbability(c.Patient, c.Context, i)).ToArray();
            return (Case: c, Allowed: allowed, Truth: p);
        }).Where(x => x.Allowed.Count > 0).ToList();

        var rows = new List<(string Ranker, string Patients, Subgroup Group, int K, double Value, double Random, double Oracle)>();
        foreach (var (c, allowed, p) in prepared)
        {
            var random = p.Average();
            var sorted = p.OrderDescending().ToArray();
            foreach (var scorer in rankers)
                foreach (var population in new[] { Known, New })
                {
                    if (population == Known && !c.Known) continue;
                    var at = population == Known ? c.At : c.At with { PatientId = "\u0000new:" + c.At.PatientId };
                    var scores = scorer.Score(at, allowed);
                    var order = Enumerable.Range(0, allowed.Count).OrderByDescending(n => scores[n]).ThenBy(n => allowed[n].Id, StringComparer.Ordinal).ToArray();
                    foreach (var k in Ks)
                    {
                        var top = Math.Min(k, allowed.Count);
                        rows.Add((scorer.Name, population, c.At.Group, k, order.Take(top).Average(n => p[n]), random, sorted.Take(top).Average()));
                    }
                }
        }

        var results = new List<PolicyValueResult>();
        foreach (var (dimension, key) in Dimensions)
            foreach (var g in rows.GroupBy(r => (r.Ranker, r.Patients, r.K, Group: key(r.Group))).Where(g => g.Key.Group.Length > 0))
                results.Add(new PolicyValueResult(g.Key.Ranker, g.Key.Patients, g.Key.K, dimension, g.Key.Group, g.Count(),
                    g.Average(r => r.Value), g.Average(r => r.Random), g.Average(r => r.Oracle)));
        var rankOf = rankers.Select((r, n) => (r.Name, n)).ToDictionary(x => x.Name, x => x.n);
        return [.. results.OrderBy(r => rankOf[r.Ranker]).ThenBy(r => r.Patients, StringComparer.Ordinal).ThenBy(r => r.K)
            .ThenBy(r => Array.FindIndex(Dimensions, d => d.Name == r.Dimension)).ThenBy(r => r.Group, StringComparer.Ordinal)];
    }
}
