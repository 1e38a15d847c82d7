using Benefit.Recommender.Catalog;
using Benefit.Recommender.Patients;

namespace Benefit.Recommender.Cohort;

public sealed record CohortOptions
{
    public int Patients { get; init; } = 2000;
    public int Interactions { get; init; } = 20000;
    public int Seed { get; init; } = 42;
    /// <summary>The day the history ends; fixed by default so a seed always gives the same files.</summary>
    public DateOnly AsOf { get; init; } = new(2026, 11, 1);
    public int HistoryDays { get; init; } = 364;
    /// <summary>How many patients also get a FHIR bundle (one per line in fhir.ndjson); bundles are the slow part.</summary>
    public int FhirPatients { get; init; } = 100;
}

public sealed record CohortFiles(string Profiles, string Interactions, string? FhirNdjson, int PatientCount, long InteractionCount);

/// <summary>Writes a reproducible cohort patient by patient, so memory stays flat however large it is.</summary>
public sealed class CohortGenerator(InterventionCatalog catalog, CohortOptions options)
{
    private readonly ResponseModel _truth = new(options.Seed);

    public CohortFiles Write(string directory, IProgress<double>? progress = null)
    {
        Directory.CreateDirectory(directory);
        CohortTruth.Save(directory, options);
        var files = new CohortFiles(Path.Combine(directory, "profiles.csv"), Path.Combine(directory, "interactions.csv"),
            options.FhirPatients > 0 ? Path.Combine(directory, "fhir.ndjson") : null, options.Patients, 0);
        using var profiles = new StreamWriter(files.Profiles);
        using var interactions = new StreamWriter(files.Interactions);
        using var fhir = files.FhirNdjson is null ? null : new StreamWriter(files.FhirNdjson);
        profiles.WriteLine(CohortCsv.ProfilesHeader);
        interactions.WriteLine(CohortCsv.InteractionsHeader);

        var perPatient = (double)options.Interactions / options.Patients;
        long written = 0;
        for (var n = 0; n < options.Patients; n++)
        {
            var (patient, history) = Patient(n, perPatient);
            profiles.WriteLine(CohortCsv.ProfileLine(patient));
            foreach (var row in history)
                interactions.WriteLine(CohortCsv.InteractionLine(row));
            written += history.Count;
            if (fhir is not null && n < options.FhirPatients)
                fhir.WriteLine(FhirBundleBuilder.Build(patient, options.AsOf).ToJson());
            if (n % 1000 == 0) progress?.Report((double)n / options.Patients);
        }
        progress?.Report(1);
        return files with { InteractionCount = written };
    }

    /// <summary>Each patient has its own seeded generator, so patient n is the same whatever the cohort size.</summary>
    public (CohortPatient Patient, List<Interaction> History) Patient(int n, double meanInteractions)
    {
        var rng = new Random(unchecked(options.Seed * 1_000_003 + n));
        var from = options.AsOf.AddDays(-options.HistoryDays);
        var patient = PatientSampler.Sample(rng, $"p{n:D6}", from.AddDays(-120), options.AsOf);
        return (patient, History(rng, patient, from, meanInteractions));
    }

    private List<Interaction> History(Random rng, CohortPatient patient, DateOnly from, double mean)
    {
        var count = Math.Max(1, (int)Math.Round(mean * (0.5 + rng.NextDouble())));
        var shown = new HashSet<string>(StringComparer.Ordinal);
        var rows = new List<Interaction>(count);
        for (var k = 0; k < count && shown.Count < catalog.Items.Count; k++)
        {
            var when = from.ToDateTime(TimeOnly.MinValue).AddDays(rng.NextDouble() * options.HistoryDays);
            var context = patient.ContextAt(DateOnly.FromDateTime(when));
            var item = PickShown(rng, context, shown);
            shown.Add(item.Id);
            var p = _truth.KeepUpProbability(patient, context, item);
            var planned = item.Intensity.PlannedSessions;
            var (outcome, sessions) = rng.NextDouble() < p
                ? (Outcome.KeptUp, (int)Math.Ceiling(planned * (0.5 + 0.5 * rng.NextDouble())))
                : rng.NextDouble() < _truth.Coefficients.DroppedShare ? (Outcome.Dropped, (int)(planned * 0.5 * rng.NextDouble()))
                : rng.NextDouble() < _truth.Coefficients.DeclinedShare ? (Outcome.Declined, 0) : (Outcome.Ignored, 0);
            rows.Add(new Interaction(patient.Id, item.Id, new DateTimeOffset(when, TimeSpan.Zero), outcome, sessions, planned, context));
        }
        return rows;
    }

    /// <summary>What the old system showed: partly guideline-driven, partly browsing the catalogue.</summary>
    private Intervention PickShown(Random rng, PatientContext context, HashSet<string> shown)
    {
        if (rng.NextDouble() < 0.4)
        {
            var needs = Targets.OutOfRange(context).Select(t => t.Target).ToHashSet();
            var matching = catalog.Items.Where(i => !shown.Contains(i.Id) && i.Targets.Any(needs.Contains)).ToList();
            if (matching.Count > 0) return matching[rng.Next(matching.Count)];
        }
        while (true)
        {
            var item = catalog.Items[rng.Next(catalog.Items.Count)];
            if (!shown.Contains(item.Id)) return item;
        }
    }
}
