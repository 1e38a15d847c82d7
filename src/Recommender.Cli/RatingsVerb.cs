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
            Seed = args.Int("seed", 42), StratifyBy = args.Text("stratify", "item"), K = args.Int("k", 10),
            Epochs = args.Int("epochs", 10), LatentDimension = args.Int("latent", 16), NegativesPerPositive = args.Int("negatives", 2),
        };
        args.RejectUnknown();
        if (options.StratifyBy is not ("item" or "user")) throw new ArgumentException("--stratify must be item or user");
        IReadOnlyList<TopKResult> results = [];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        AnsiConsole.Status().Start("reading ratings", ctx =>
        {
            var ratings = RatingsEvaluation.Read(path);
            ctx.Status($"splitting {ratings.Count:N0} ratings 75/25 per {options.StratifyBy}");
            results = RatingsEvaluation.Run(ratings, options, s => ctx.Status(s));
        });
        var table = new Table().AddColumns("ranker", $"nDCG@{options.K}", $"P@{options.K}", $"R@{options.K}", $"MAP@{options.K}", "users");
        foreach (var r in results)
            table.AddRow(r.Name, F(r.Ndcg), F(r.Precision), F(r.Recall), F(r.Map), r.Users.ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"{path}, split per {options.StratifyBy}, seed {options.Seed}, {clock.Elapsed.TotalSeconds:F1} s");
        return 0;
        static string F(double x) => x.ToString("F3", CultureInfo.InvariantCulture);
    }
}
