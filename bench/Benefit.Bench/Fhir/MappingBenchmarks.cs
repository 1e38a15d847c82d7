using BenchmarkDotNet.Attributes;
using Benefit.Fhir;
using Benefit.Fhir.Features;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Cohort;
using Hl7.Fhir.Model;

namespace Benefit.Bench.Fhir;

/// <summary>
/// Issue 3, mapping cost: what the sync does with one patient's fetched observations — parse the stored JSON and map it to a
/// feature snapshot (readings, units, plausibility, derived BMI, trends) — on a generated patient's ~50 observations.
/// </summary>
[MemoryDiagnoser]
public class MappingBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private string[] _json = [];
    private Observation[] _observations = [];

    public static int ObservationCount { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        var catalog = InterventionCatalog.Load("data/interventions.json");
        var options = new CohortOptions();
        var patient = new CohortGenerator(catalog, options).Patient(7, 10).Patient;
        var bundle = FhirBundleBuilder.Build(patient, options.AsOf);
        _observations = [.. bundle.Entry.Select(e => e.Resource).OfType<Observation>()];
        _json = [.. _observations.Select(FhirJson.Serialize)];
        ObservationCount = _observations.Length;
    }

    [Benchmark]
    public FeatureSnapshot ParseAndMap() =>
        FeatureMapper.Map("p000007", "bench", _json.Select(j => (Observation)FhirJson.Parse(j)), Now);

    [Benchmark]
    public FeatureSnapshot MapOnly() => FeatureMapper.Map("p000007", "bench", _observations, Now);

    internal static int Run(Options o)
    {
        var summary = Bdn.Run<MappingBenchmarks>(o);
        new MappingBenchmarks().Setup();
        var n = ObservationCount;
        foreach (var (method, label) in new[] { (nameof(ParseAndMap), "parse JSON + map"), (nameof(MapOnly), "map only (parsed)") })
        {
            var (mean, allocated) = Bdn.Of(summary, method);
            Report.Result("fhir mapping", $"{label}, per observation ({n} per patient)", mean / n / 1000, "µs", "",
                $"{mean / 1000:F1} µs per patient, {allocated / n:N0} B allocated per observation");
        }
        return 0;
    }
}
