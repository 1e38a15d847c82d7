using BenchmarkDotNet.Attributes;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Cohort;
using Benefit.Recommender.Features;
using Benefit.Recommender.Patients;
using Benefit.Recommender.Registry;
using Benefit.Recommender.Serving;
using Benefit.Recommender.Training;
using Microsoft.ML;

namespace Benefit.Bench.Ranking;

/// <summary>
/// Issue 4: score 200 interventions for one patient with the shipped model three ways, set up exactly as
/// <c>benefit-ml bench</c> (src/Recommender.Cli/BenchVerb.cs) does: the weight-based scorer the service uses, ML.NET's
/// PredictionEngine one row at a time, and bare 8-dimensional dot products (the floor for any FFM scorer).
/// </summary>
[MemoryDiagnoser]
public class RankingBenchmarks
{
    public const int Interventions = 200;
    private ModelSnapshot _snapshot = null!;
    private PatientContext _patient = null!;
    private List<Intervention> _items = [];
    private PredictionEngine<FfmInput, FfmPrediction> _engine = null!;
    private List<FfmInput> _inputs = [];

    [GlobalSetup]
    public void Setup()
    {
        var catalog = InterventionCatalog.Load("data/interventions.json");
        var modelDir = Path.GetFullPath("models/default");
        var trained = new ModelStore(new ModelStoreOptions { Root = Path.GetDirectoryName(modelDir)! }).LoadModel(Path.GetFileName(modelDir));
        _snapshot = ModelSnapshot.From(trained, "bench");
        // 200 distinct interventions: the catalogue's 46, then renamed copies (new ids, so each has its own cached side).
        _items = [.. Enumerable.Range(0, Interventions).Select(n => n < catalog.Items.Count ? catalog.Items[n] : catalog.Items[n % catalog.Items.Count] with { Id = $"{catalog.Items[n % catalog.Items.Count].Id}-{n}" })];
        _patient = new CohortGenerator(catalog, new CohortOptions()).Patient(1, 10).Patient.ContextAt(new CohortOptions().AsOf);
        _snapshot.Score(_patient, _items);

        var space = trained.Space;
        var schema = FfmInput.Schema(space.PatientIds.Count, space.InterventionIds.Count, space.ContextLength, space.AttributeLength);
        _engine = trained.Ml.Model.CreatePredictionEngine<FfmInput, FfmPrediction>(trained.Model, inputSchemaDefinition: schema);
        var example = TrainingExample.For(_patient, _items[0].Id, DateTimeOffset.UtcNow);
        _inputs = [.. _items.Select(i => FfmTrainer.ToInput(space, example with { InterventionId = i.Id }, AttributeFeatures.Encode(i)))];
    }

    [Benchmark(Baseline = true, Description = "weights: patient side + cached intervention sides")]
    public float[] WeightScorer() => _snapshot.Score(_patient, _items);

    [Benchmark(Description = "PredictionEngine, one by one")]
    public float PredictionEngineOneByOne()
    {
        var sum = 0f;
        foreach (var input in _inputs)
            sum += _engine.Predict(input).Score;
        return sum;
    }

    [Benchmark(Description = "bare dot products (one per intervention)")]
    public float BareDotProducts()
    {
        var sum = 0f;
        for (var i = 0; i < _items.Count; i++)
            sum += FfmWeights.Dot(_snapshot.Weights.Latent(0, 1), _snapshot.Weights.Latent(1, 0));
        return sum;
    }

    internal static int Run(Options o)
    {
        var summary = Bdn.Run<RankingBenchmarks>(o);
        var rows = new[]
        {
            (nameof(WeightScorer), "weight-based scorer (what the service uses)", "≤ 20 µs"),
            (nameof(PredictionEngineOneByOne), "ML.NET PredictionEngine, one by one", "≈ 300 µs (reference)"),
            (nameof(BareDotProducts), "bare dot products", "≈ 2 µs (limit)"),
        };
        foreach (var (method, label, target) in rows)
        {
            var (mean, allocated) = Bdn.Of(summary, method);
            Report.Result("ranking", $"rank {Interventions} interventions, {label}", mean / 1000, "µs", target, $"{allocated:N0} B allocated per ranking");
        }
        return 0;
    }
}
