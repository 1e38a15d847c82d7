using System.Diagnostics;
using System.Globalization;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Cohort;
using Benefit.Recommender.Evaluation;
using Benefit.Recommender.Registry;
using Benefit.Recommender.Reports;
using Benefit.Recommender.Training;
using Spectre.Console;

namespace Benefit.Recommender.Cli;

internal static partial class Verbs
{
    public static int Train(Args args)
    {
        var catalog = InterventionCatalog.Load(args.Text("catalog", "data/interventions.json"));
        var data = args.Text("data", "var/cohort");
        var store = new ModelStore(new ModelStoreOptions { Root = args.Text("out", "var/models") });
        var version = args.Text("version", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
        var options = new TrainingOptions
        {
            Seed = args.Int("seed", 42), Epochs = args.Optional("epochs") is { } epochs ? int.Parse(epochs, CultureInfo.InvariantCulture) : null, LatentDimension = args.Int("latent", 8),
            LearningRate = (float)args.Double("learning-rate", 0.02), HoldoutWeeks = args.Int("holdout-weeks", 6),
            SampledNegativesPerPatient = args.Int("negatives", 4), NormalizeFeatures = args.Flag("normalize"),
            FieldLength = args.Text("field-length", "1") is "none" ? null : (float)args.Double("field-length", 1),
            IdentityAblation = !args.Flag("no-ablation"), IdentityDropout = args.Double("identity-dropout", 1),
            LambdaLatent = (float)args.Double("lambda-latent", 0.0001), LambdaLinear = (float)args.Double("lambda-linear", 0.0001),
            BaselinePatients = args.Int("baseline-patients", 20_000), BaselineIterations = args.Int("baseline-iterations", 50),
        };
        var withLightGbm = !args.Flag("no-lightgbm");
        var replace = args.Flag("replace");
        args.RejectUnknown();

        var clock = Stopwatch.StartNew();
        List<TrainingExample> examples = [];
        TrainedModel? model = null;
        ModelCard? card = null;
        // One line per stage with the elapsed time, so stage timings can be read from a log.
        void Stage(string what) => AnsiConsole.MarkupLineInterpolated($"[grey]{clock.Elapsed.TotalSeconds,6:F1} s[/] {what}");
        AnsiConsole.Status().Start("loading", ctx =>
        {
            Stage($"loading {data}");
            examples = TrainingRun.LoadCohort(data, catalog);
            Stage($"loaded {examples.Count:N0} interactions");
            var truth = CohortTruth.Load(data, catalog);
            Stage(truth is null ? "no cohort.json beside the data: no hidden truth, no policy value" : "cohort.json found: policy value against the hidden truth");
            (model, card) = TrainingRun.Run(examples, catalog, options, version, GitCommit(), data, withLightGbm, Stage, truth);
            Stage("writing model, card and report");
            store.Save(model, card, ReportWriter.Html(card), replace);
            Stage("saved");
        });
        PrintMetrics(card!.Metrics);
        PrintPolicyValues(card.PolicyValues);
        AnsiConsole.MarkupLineInterpolated($"saved [green]{store.PathOf(version)}[/] (training {card.TrainingSeconds:F1} s, total {clock.Elapsed.TotalSeconds:F1} s)");
        return 0;
    }

    public static int Evaluate(Args args)
    {
        var catalog = InterventionCatalog.Load(args.Text("catalog", "data/interventions.json"));
        var data = args.Text("data", "var/cohort");
        var modelDir = args.Text("model", "models/default");
        var weeks = args.Int("holdout-weeks", 6);
        var withLightGbm = !args.Flag("no-lightgbm");
        args.RejectUnknown();
        var store = new ModelStore(new ModelStoreOptions { Root = Path.GetDirectoryName(Path.GetFullPath(modelDir))! });
        var snapshot = store.LoadSnapshot(Path.GetFileName(Path.GetFullPath(modelDir)));
        var (train, test, cutoff) = TrainingSet.SplitByTime(TrainingRun.LoadCohort(data, catalog), weeks);
        AnsiConsole.MarkupLineInterpolated($"model {snapshot.Version}; holdout from {cutoff:yyyy-MM-dd}: {test.Count:N0} rows");
        var (results, _) = TrainingRun.Evaluate(snapshot, train, test, catalog, 42, withLightGbm);
        PrintMetrics(results);
        return 0;
    }

    private static void PrintMetrics(IReadOnlyList<RankerResult> results)
    {
        var table = new Table().AddColumns("ranker", "AUC", "nDCG@5", "P@5", "R@5", "MAP", "coverage", "SES gap", "sex gap", "age gap");
        foreach (var r in results)
            table.AddRow(r.Name, F(r.Overall.Auc), F(r.Overall.Ndcg5), F(r.Overall.Precision5), F(r.Overall.Recall5), F(r.Overall.Map),
                F(r.Overall.Coverage), F(r.LargestGap["SES band"]), F(r.LargestGap["sex"]), F(r.LargestGap["age band"]));
        AnsiConsole.Write(table);
        static string F(double x) => x.ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string? GitCommit()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "rev-parse HEAD") { RedirectStandardOutput = true, RedirectStandardError = true });
            var sha = git?.StandardOutput.ReadToEnd().Trim();
            git?.WaitForExit();
            return git?.ExitCode == 0 ? sha : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
