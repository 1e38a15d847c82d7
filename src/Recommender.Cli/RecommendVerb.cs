using System.Globalization;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Cohort;
using Benefit.Recommender.Registry;
using Benefit.Recommender.Serving;
using Spectre.Console;

namespace Benefit.Recommender.Cli;

internal static partial class Verbs
{
    /// <summary>Serves one demo patient from its generated twin (the same data as data/demo/fhir), to see lists and reasons.</summary>
    public static int Recommend(Args args)
    {
        var catalog = InterventionCatalog.Load(args.Text("catalog", "data/interventions.json"));
        var id = args.Text("patient", "demo-patient-06");
        var modelDir = Path.GetFullPath(args.Text("model", "models/default"));
        var limit = args.Int("limit", 5);
        var asOf = DateOnly.Parse(args.Text("as-of", "2026-11-27"), CultureInfo.InvariantCulture);
        var consent = !args.Flag("no-consent");
        var roster = args.Text("roster", "data/demo/patients.json");
        args.RejectUnknown();
        var demo = DemoBundles.ReadRoster(roster).FirstOrDefault(p => p.Id == id) ?? throw new ArgumentException($"no demo patient '{id}'");
        var patient = DemoBundles.Sample(demo, asOf).ContextAt(asOf) with { PatientId = id, PersonalisationConsent = consent };
        var store = new ModelStore(new ModelStoreOptions { Root = Path.GetDirectoryName(modelDir)! });
        var service = new RecommendationService(new Ranker(store.LoadSnapshot(Path.GetFileName(modelDir))), catalog,
            new RecommendationOptions(), TimeProvider.System);
        var list = service.Recommend(new RecommendationRequest(patient, limit));
        AnsiConsole.MarkupLineInterpolated($"[bold]{id}[/] model {list.ModelVersion}, personalised: {list.Personalised}");
        if (list.Notice is not null) AnsiConsole.MarkupLineInterpolated($"[yellow]{list.Notice}[/]");
        foreach (var r in list.Items)
        {
            AnsiConsole.MarkupLineInterpolated($"{r.Rank}. [green]{r.Intervention.Name}[/] ({r.Intervention.Category}, score {r.Score:F2})");
            foreach (var reason in r.Reasons) AnsiConsole.MarkupLineInterpolated($"     - {reason}");
        }
        foreach (var e in list.Excluded.Where(e => e.Reason.StartsWith("contraindicated", StringComparison.Ordinal)))
            AnsiConsole.MarkupLineInterpolated($"   [red]left out[/] {e.InterventionId}: {e.Reason}");
        return 0;
    }
}
