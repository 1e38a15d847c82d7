using System.Diagnostics;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Cohort;
using Benefit.Recommender.Features;
using Benefit.Recommender.Registry;
using Benefit.Recommender.Serving;
using Benefit.Recommender.Training;
using Microsoft.ML;
using Spectre.Console;

namespace Benefit.Recommender.Cli;

internal static partial class Verbs
{
    /// <summary>Quick Stopwatch timings for docs/benchmarks.md (not BenchmarkDotNet): rank N interventions for one patient three ways.</summary>
    public static int Bench(Args args)
    {
        var catalog = InterventionCatalog.Load(args.Text("catalog", "data/interventions.json"));
        var modelDir = Path.GetFullPath(args.Text("model", "models/default"));
        var count = args.Int("interventions", 200);
        var rounds = args.Int("rounds", 2000);
        args.RejectUnknown();
        var store = new ModelStore(new ModelStoreOptions { Root = Path.GetDirectoryName(modelDir)! });
        var trained = store.LoadModel(Path.GetFileName(modelDir));
        var snapshot = ModelSnapshot.From(trained, "bench");
        var items = Enumerable.Range(0, count).Select(n => catalog.Items[n % catalog.Items.Count] is var i && n < catalog.Items.Count ? i : i with { Id = $"{i.Id}-{n}" }).ToList();
        var patient = new CohortGenerator(catalog, new CohortOptions()).Patient(1, 10).Patient.ContextAt(new CohortOptions().AsOf);

        var side = snapshot.Patient(patient);
        var sideOnly = Time(rounds, () => snapshot.Patient(patient));
        var itemsOnly = Time(rounds, () => { var s = 0f; foreach (var i in items) s += snapshot.Score(side, i); return s; });
        var fast = Time(rounds, () => snapshot.Score(patient, items));
        var dots = Time(rounds, () => { var s = 0f; foreach (var i in items) s += FfmWeights.Dot(snapshot.Weights.Latent(0, 1), snapshot.Weights.Latent(1, 0)); return s; });
        var schema = FfmInput.Schema(trained.Space.PatientIds.Count, trained.Space.InterventionIds.Count, trained.Space.ContextLength, trained.Space.AttributeLength);
        var engine = trained.Ml.Model.CreatePredictionEngine<FfmInput, FfmPrediction>(trained.Model, inputSchemaDefinition: schema);
        var example = TrainingExample.For(patient, items[0].Id, DateTimeOffset.UtcNow);
        var inputs = items.Select(i => FfmTrainer.ToInput(trained.Space, example with { InterventionId = i.Id }, AttributeFeatures.Encode(i))).ToList();
        var oneByOne = Time(Math.Max(20, rounds / 50), () => inputs.Sum(i => engine.Predict(i).Score));
        var table = new Table().AddColumns("rank " + count + " interventions for one patient", "µs per request");
        table.AddRow("weights: patient side + precomputed intervention sides", fast.ToString("F1", System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("  of which the patient side (encode context, 4 fields)", sideOnly.ToString("F1", System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("  of which combining with the intervention sides", itemsOnly.ToString("F1", System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("PredictionEngine, one by one", oneByOne.ToString("F1", System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("bare dot products (8-dim, one per intervention)", dots.ToString("F2", System.Globalization.CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"model {modelDir}: {trained.Space.PatientIds.Count:N0} patients, latent {snapshot.Weights.LatentDimension}, side features {side.Features.Count}");
        return 0;
    }

    private static double Time<T>(int rounds, Func<T> work)
    {
        // Half a second of warm-up lets tiered JIT finish optimising before the clock starts.
        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 500) work();
        var clock = Stopwatch.StartNew();
        for (var n = 0; n < rounds; n++) work();
        return clock.Elapsed.TotalMicroseconds / rounds;
    }
}
