using Benefit.Recommender.Catalog;
using Benefit.Recommender.Cohort;

namespace Benefit.Recommender.Training;

/// <summary>Turns an interaction history into labelled rows and splits it by time.</summary>
public static class TrainingSet
{
    public static List<TrainingExample> FromInteractions(IEnumerable<Interaction> interactions, InterventionCatalog catalog) =>
        [.. interactions.Where(i => catalog.Find(i.InterventionId) is not null).Select(TrainingExample.From)];

    /// <summary>Everything before the last <paramref name="weeks"/> weeks trains; the rest is the holdout (no future leaks into training).</summary>
    public static (List<TrainingExample> Train, List<TrainingExample> Test, DateTimeOffset Cutoff) SplitByTime(
        IReadOnlyList<TrainingExample> rows, int weeks)
    {
        var cutoff = rows.Max(r => r.Timestamp).AddDays(-7 * weeks);
        return ([.. rows.Where(r => r.Timestamp < cutoff)], [.. rows.Where(r => r.Timestamp >= cutoff)], cutoff);
    }

    /// <summary>All rows of a seeded sample of at most <paramref name="maxPatients"/> patients (0: everyone), in their original order.</summary>
    public static List<TrainingExample> SamplePatients(IReadOnlyList<TrainingExample> rows, int maxPatients, int seed)
    {
        var ids = rows.Select(r => r.PatientId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (maxPatients <= 0 || ids.Length <= maxPatients) return [.. rows];
        new Random(seed).Shuffle(ids);
        var keep = ids.Take(maxPatients).ToHashSet(StringComparer.Ordinal);
        return [.. rows.Where(r => keep.Contains(r.PatientId))];
    }

    /// <summary>Shown rows keep their labels; then each patient gets a few never-shown interventions as sampled negatives.</summary>
    public static List<TrainingExample> WithSampledNegatives(IReadOnlyList<TrainingExample> shown, InterventionCatalog catalog, TrainingOptions options)
    {
        var rows = new List<TrainingExample>(shown.Count + shown.Count / 2);
        rows.AddRange(shown);
        if (options.SampledNegativesPerPatient <= 0) return rows;
        var rng = new Random(options.Seed);
        foreach (var patient in shown.GroupBy(r => r.PatientId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var seen = patient.Select(r => r.InterventionId).ToHashSet(StringComparer.Ordinal);
            var anchor = patient.OrderBy(r => r.Timestamp).Last();
            for (var k = 0; k < options.SampledNegativesPerPatient && seen.Count < catalog.Items.Count; k++)
            {
                var item = catalog.Items[rng.Next(catalog.Items.Count)];
                if (!seen.Add(item.Id)) continue;
                rows.Add(anchor with { InterventionId = item.Id, Label = false, Shown = false });
            }
        }
        return rows;
    }

    /// <summary>
    /// Adds a copy of a seeded share of the rows with the patient id left out (a zero identity vector, as for a new patient), so
    /// the context field must also rank on its own and the identity field learns what context cannot explain; in a quarter of
    /// the copies the intervention id is left out too, for the same reason with new interventions.
    /// </summary>
    public static List<TrainingExample> WithoutPatientIdentity(List<TrainingExample> rows, TrainingOptions options)
    {
        if (options.IdentityDropout <= 0 || !options.IdentityFields) return rows;
        var rng = new Random(options.Seed + 1);
        var copies = new List<TrainingExample>(rows.Count + (int)(rows.Count * options.IdentityDropout));
        copies.AddRange(rows);
        foreach (var row in rows)
            if (rng.NextDouble() < options.IdentityDropout)
                copies.Add(row with { PatientId = "", WithoutInterventionIdentity = rng.NextDouble() < 0.25 });
        return copies;
    }
}
