using System.Globalization;
using Benefit.Recommender.Evaluation;
using Spectre.Console;

namespace Benefit.Recommender.Cli;

internal static partial class Verbs
{
    public static int EvaluateRatings(Args args)
    {
        var path = args.Text("ratings", "../shared/data/movielens-latest-small/ratings.csv");
        var options = new RatingsOptions
        {
            Seed = args.Int("seed", 42), StratifyBy = args.Text("stratify", "user"), K = args.Int("k", 10), Tune = args.Flag("tune"),
            Repeats = args.Int("repeats", 1), SarHalfLifeDays = args.Double("sar-half-life", 30),
            Ffm = new RatingsFfmSettings
            {
                Seed = args.Int("seed", 42), Epochs = args.Int("epochs", 10), LatentDimension = args.Int("latent", 16),
                NegativesPerPositive = args.Int("negatives", 2), Sampling = args.Text("sampling", "uniform"),
                LearningRate = (float)args.Double("learning-rate", 0.1), Lambda = (float)args.Double("lambda", 0.0001),
                History = args.Int("history", 0),
            },
        };
        var card = args.Optional("out");
        args.RejectUnknown();
        if (options.StratifyBy is not ("item" or "user")) throw new ArgumentException("--stratify must be item or user");
        if (options.Ffm.Sampling is not ("uniform" or "popularity")) throw new ArgumentException("--sampling must be uniform or popularity");
        RatingsReport? report = null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        AnsiConsole.Status().Start("reading ratings", ctx =>
        {
            var ratings = RatingsEvaluation.Read(path);
            ctx.Status($"splitting {ratings.Count:N0} ratings 75/25 per {options.StratifyBy}");
            report = RatingsEvaluation.Report(ratings, options, s => ctx.Status(s));
        });
        PrintRatings(report!, options, path, clock.Elapsed);
        if (card is not null)
        {
            // The run's card: protocol options, every ranker's metrics, the FFM settings used (chosen on validation with --tune) and the trials.
            File.WriteAllText(card, System.Text.Json.JsonSerializer.Serialize(new { options, report, ratings = path },
                Benefit.Recommender.Registry.ModelStore.Json));
            AnsiConsole.MarkupLineInterpolated($"card written to [green]{card}[/]");
        }
        return 0;
    }

    private static void PrintRatings(RatingsReport report, RatingsOptions options, string path, TimeSpan elapsed)
    {
        foreach (var t in report.Trials.OrderByDescending(t => t.ValidationNdcg).Take(10))
            AnsiConsole.MarkupLineInterpolated($"validation nDCG@{options.K} {F(t.ValidationNdcg)} at epoch {t.BestEpoch}: {t.Settings}");
        var results = report.Results;
        var table = new Table().AddColumns("ranker", $"nDCG@{options.K}", $"P@{options.K}", $"R@{options.K}", $"MAP@{options.K}", "users");
        foreach (var r in results)
            table.AddRow(r.Name + (r.NdcgSd > 0 ? $" (± {F(r.NdcgSd)} sd nDCG, {options.Repeats} seeds)" : ""), F(r.Ndcg), F(r.Precision), F(r.Recall), F(r.Map),
                r.Users.ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        var yardstick = results.Where(r => r.Name.StartsWith("SAR", StringComparison.Ordinal) || r.Name.StartsWith("Item-kNN", StringComparison.Ordinal)).Max(r => r.Ndcg);
        AnsiConsole.MarkupLineInterpolated($"FFM: {report.Ffm}{(options.Tune ? " (chosen on validation)" : "")}; nDCG ratio to the better of SAR and item-kNN {F(results[^1].Ndcg / yardstick)}");
        AnsiConsole.MarkupLineInterpolated($"protocol: Microsoft Recommenders python_stratified_split per {options.StratifyBy} (rank ≤ {options.TrainRatio} × count trains), seed {options.Seed}; {report.TrainRatings:N0} train / {report.TestRatings:N0} test ratings;");
        AnsiConsole.MarkupLineInterpolated($"top-{options.K} over every training item unseen in training, every test rating relevant; MAP@{options.K} = Σ precision at each hit ÷ min(#relevant, {options.K}) (Recommenders map_at_k).");
        AnsiConsole.MarkupLineInterpolated($"{path}, {elapsed.TotalSeconds:F1} s");
    }

    private static string F(double x) => x.ToString("F3", CultureInfo.InvariantCulture);
}
