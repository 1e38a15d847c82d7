using Benefit.Recommender.Cli;
using Spectre.Console;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    AnsiConsole.MarkupLine(Verbs.Usage);
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
        "evaluate-ratings" => Verbs.EvaluateRatings(options),
        "bench" => Verbs.Bench(options),
        _ => throw new ArgumentException($"unknown verb '{args[0]}'"),
    };
}
catch (ArgumentException e)
{
    AnsiConsole.MarkupLineInterpolated($"[red]{e.Message}[/]");
    AnsiConsole.MarkupLine(Verbs.Usage);
    return 2;
}
