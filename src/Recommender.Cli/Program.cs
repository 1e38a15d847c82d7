using Benefit.Recommender.Cli;
using Spectre.Console;

// Tables are unreadable at the 80 columns Spectre assumes when output is piped to a file or CI log.
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160;
if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    AnsiConsole.WriteLine(Verbs.Usage);
    return args.Length == 0 ? 2 : 0;
}
try
{
    var options = new Args(args.Skip(1));
    return args[0] switch
    {
        "generate" => Verbs.Generate(options),
        "demo" => Verbs.Demo(options),
        "train" => Verbs.Train(options),
        "evaluate" => Verbs.Evaluate(options),
        "retrain" => Verbs.Retrain(options),
        "evaluate-ratings" => Verbs.EvaluateRatings(options),
        "bench" => Verbs.Bench(options),
        "recommend" => Verbs.Recommend(options),
        "export" => Verbs.Export(options),
        "simulate" => Verbs.Simulate(options),
        _ => throw new ArgumentException($"unknown verb '{args[0]}'"),
    };
}
catch (ArgumentException e)
{
    AnsiConsole.MarkupLineInterpolated($"[red]{e.Message}[/]");
    AnsiConsole.WriteLine(Verbs.Usage);
    return 2;
}
