using System.Text.Json;
using Benefit.Recommender.Catalog;

namespace Benefit.Recommender.Cohort;

/// <summary>
/// The hidden truth behind a generated cohort folder: its generator options (cohort.json) are enough to rebuild every patient,
/// taste included, and the response model. Only evaluation uses this; training never does.
/// </summary>
public sealed class CohortTruth
{
    public const string FileName = "cohort.json";
    private readonly CohortGenerator _generator;

    public CohortTruth(InterventionCatalog catalog, CohortOptions options)
    {
        _generator = new CohortGenerator(catalog, options);
        Response = new ResponseModel(options.Seed);
    }

    public ResponseModel Response { get; }

    /// <summary>Patient "p000123" is patient 123 of the generator; its seeded generator gives the same patient whatever the mean history.</summary>
    public CohortPatient? Patient(string id) =>
        id.Length > 1 && id[0] == 'p' && int.TryParse(id.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? _generator.Patient(n, 1).Patient : null;

    public static void Save(string directory, CohortOptions options) =>
        File.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(options, new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>Null when the folder was not written by the generator (real data has no hidden truth).</summary>
    public static CohortTruth? Load(string directory, InterventionCatalog catalog)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return null;
        var options = JsonSerializer.Deserialize<CohortOptions>(File.ReadAllText(path)) ?? throw new InvalidDataException($"empty {path}");
        return new CohortTruth(catalog, options);
    }
}
