using Benefit.Simulator;
using Spectre.Console;

namespace Benefit.Recommender.Cli;

internal static partial class Verbs
{
    /// <summary>The closed-loop simulation (src/Simulator): the real API in-process, simulated patients, one line per week.</summary>
    public static int Simulate(Args args)
    {
        var options = new SimulationOptions
        {
            Patients = args.Int("patients", 3000), Weeks = args.Int("weeks", 16), Seed = args.Int("seed", 42), TopK = args.Int("top-k", 3),
            Start = args.Text("start", "default") switch
            {
                "default" => SimulationStart.Default,
                "none" => SimulationStart.None,
                var other => throw new ArgumentException($"--start must be default or none, not '{other}'"),
            },
            ResponseModelPath = args.Text("response-model", "data/response-model.json"),
            DataDirectory = args.Text("data", "data"),
            OutDirectory = args.Text("out", "var/simulation"),
            WorkDirectory = args.Optional("work"),
            ReviewShare = args.Double("review-share", 0.05),
            NoTrainingConsentShare = args.Double("no-training-share", 0.10),
            Database = args.Text("database", "sqlite"),
            ConnectionString = args.Optional("connection"),
            Parallelism = args.Int("parallel", 8),
            ReportParallelism = args.Int("report-parallel", 32),
            SyncEveryWeek = args.Flag("sync-weekly"),
        };
        args.RejectUnknown();
        options.Validate();

        AnsiConsole.MarkupLineInterpolated(
            $"[bold]simulating[/] {options.Patients:N0} patients × {options.Weeks} weeks, seed {options.Seed}, top-{options.TopK}, start {options.Start}");
        SimulationResult result;
        try
        {
            result = new Simulation(options, line => AnsiConsole.WriteLine(line)).RunAsync().GetAwaiter().GetResult();
        }
        catch (InvalidDataException e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{e.Message}[/]");
            return 2;
        }
        SimulationReport.Write(result, options.OutDirectory);
        foreach (var note in result.Notes) AnsiConsole.MarkupLineInterpolated($"[yellow]note:[/] {note}");
        AnsiConsole.MarkupLineInterpolated(
            $"wrote {Path.Combine(options.OutDirectory, "table.csv")}, groups.csv and report.html; {result.TotalSeconds:F0} s in all ({result.SetupSeconds:F0} s set-up)");
        return 0;
    }
}
