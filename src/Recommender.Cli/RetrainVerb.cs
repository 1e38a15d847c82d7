using System.Globalization;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Registry;
using Benefit.Recommender.Training;
using Spectre.Console;

namespace Benefit.Recommender.Cli;

internal static partial class Verbs
{
    /// <summary>The nightly gate, offline: train a challenger on the data and decide against a champion folder with the job's own code.</summary>
    public static int Retrain(Args args)
    {
        var catalog = InterventionCatalog.Load(args.Text("catalog", "data/interventions.json"));
        var data = args.Text("data", "var/cohort");
        var championDir = args.Optional("champion");
        var output = args.Text("out", "var/models");
        var version = args.Text("version", "retrain-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        var options = new NightlyTrainingOptions
        {
            Seed = args.Int("seed", 42), HoldoutWeeks = args.Int("holdout-weeks", 6), Tolerance = args.Double("tolerance", 0.01),
            ShuffleLabels = args.Flag("shuffle-labels"),
        };
        args.RejectUnknown();

        var champion = championDir is null ? null
            : new ModelStore(new ModelStoreOptions { Root = Path.GetDirectoryName(Path.GetFullPath(championDir))! })
                .LoadSnapshot(Path.GetFileName(Path.GetFullPath(championDir)));
        var examples = TrainingRun.LoadCohort(data, catalog);
        AnsiConsole.MarkupLineInterpolated($"{examples.Count:N0} rows from {data}; champion {champion?.Version ?? "none"}; seed {options.Seed}");
        NightlyTrainingResult? run = null;
        AnsiConsole.Status().Start("training the challenger and evaluating both on the same holdout", _ =>
            run = NightlyTraining.Run(examples, catalog, champion, version, options, DateTimeOffset.UtcNow, data));

        var store = new ModelStore(new ModelStoreOptions { Root = output });
        store.Save(run!.Model, run.Card, run.ReportHtml, replace: true);
        File.WriteAllText(store.PathOf(version, ModelStore.CardFile), run.CardJson);
        PrintMetrics(run.Card.Metrics);
        if (run.Decision.Promote) AnsiConsole.MarkupLineInterpolated($"[green]promote[/]: {run.Decision.Reason}");
        else AnsiConsole.MarkupLineInterpolated($"[red]reject[/]: {run.Decision.Reason}");
        AnsiConsole.MarkupLineInterpolated($"wrote {store.PathOf(version)}");
        return 0;
    }
}
