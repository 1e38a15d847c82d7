using System.Diagnostics;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Cohort;
using Spectre.Console;

namespace Benefit.Recommender.Cli;

/// <summary>The command-line verbs; each reads its options, runs one library step with progress, and prints what it wrote.</summary>
internal static partial class Verbs
{
    public const string Usage = """
        usage: benefit-ml <verb> [options]   (paths are relative to the current folder; run from the repo root)
          generate          --patients 2000 --interactions 20000 --seed 42 --out var/cohort --fhir-patients 100 --as-of 2026-11-01
          demo              --roster data/demo/patients.json --out data/demo/fhir --as-of <today> --seed 42
          train             --data var/cohort --out var/models --version <utc timestamp> --seed 42 --holdout-weeks 6 [--epochs <auto: 20, fewer above 350,000 rows> --learning-rate 0.02 --latent 8 --negatives 4 --identity-dropout 1 --field-length 1|none --normalize (ML.NET's whole-row) --no-ablation --no-lightgbm --baseline-patients 20000 (0: all) --baseline-iterations 50 --replace]
          evaluate          --data var/cohort --model var/models/<version> --holdout-weeks 6
          retrain           --data var/cohort --champion models/default --out var/models --version <name> --seed 42 --holdout-weeks 6 --tolerance 0.01 [--shuffle-labels]   (the nightly gate, offline)
          export            --api http://localhost:5080 --token <data-scientist token, or BENEFIT_TOKEN> --out var/live-cohort [--before <ISO time>]   (the live training set, pseudonymised)
          recommend         --patient demo-patient-06 --model models/default --limit 5 --as-of 2026-11-27 [--no-consent]
          bench             --model models/default --interventions 200 --rounds 2000
          simulate          --patients 3000 --weeks 16 --seed 42 --top-k 3 --start default|none --response-model data/response-model.json --out var/simulation --review-share 0.05 [--no-training-share 0.1 --data data --work <folder> --parallel 8 --report-parallel 32 --sync-weekly --database sqlite|postgres --connection <string>]   (closed loop on the real API)
          evaluate-ratings  --ratings ../shared/data/movielens-latest-small/ratings.csv --seed 42 --stratify user|item --k 10 [--out card.json --tune --repeats 3 --epochs 10 --latent 16 --negatives 2 --sampling uniform|popularity --learning-rate 0.1 --lambda 0.0001 --sar-half-life 30 --history 0]
        """;

    public static int Generate(Args args)
    {
        var catalog = InterventionCatalog.Load(args.Text("catalog", "data/interventions.json"));
        var options = new CohortOptions
        {
            Patients = args.Int("patients", 2000), Interactions = args.Int("interactions", 20000), Seed = args.Int("seed", 42),
            FhirPatients = args.Int("fhir-patients", 100),
            AsOf = args.Optional("as-of") is { } asOf ? DateOnly.Parse(asOf, System.Globalization.CultureInfo.InvariantCulture) : new CohortOptions().AsOf,
        };
        var output = args.Text("out", "var/cohort");
        args.RejectUnknown();
        var clock = Stopwatch.StartNew();
        CohortFiles? files = null;
        AnsiConsole.Progress().Start(ctx =>
        {
            var task = ctx.AddTask($"generating {options.Patients:N0} patients");
            files = new CohortGenerator(catalog, options).Write(output, new Progress<double>(p => task.Value = p * 100));
            task.Value = 100;
        });
        AnsiConsole.MarkupLineInterpolated(
            $"wrote [green]{files!.PatientCount:N0}[/] patients and [green]{files.InteractionCount:N0}[/] interactions to {output} in {clock.Elapsed.TotalSeconds:F1} s");
        return 0;
    }

    public static int Demo(Args args)
    {
        var roster = args.Text("roster", "data/demo/patients.json");
        var output = args.Text("out", "data/demo/fhir");
        var asOf = args.Optional("as-of") is { } s ? DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture)
            : DateOnly.FromDateTime(DateTime.UtcNow);
        var seed = args.Int("seed", 42);
        args.RejectUnknown();
        var files = DemoBundles.Write(roster, output, asOf, seed);
        var bytes = files.Sum(f => new FileInfo(f).Length);
        AnsiConsole.MarkupLineInterpolated($"wrote [green]{files.Count}[/] demo bundles ({bytes / 1024.0:F0} KiB) to {output}");
        return 0;
    }
}
