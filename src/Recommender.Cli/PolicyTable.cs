using System.Globalization;
using Benefit.Recommender.Evaluation;
using Spectre.Console;

namespace Benefit.Recommender.Cli;

internal static partial class Verbs
{
    /// <summary>G per ranker for known and new patients, k = 3 and 5, overall and per SES band (the card also has sex and age band).</summary>
    private static void PrintPolicyValues(IReadOnlyList<PolicyValueResult> results)
    {
        if (results.Count == 0) return;
        string[] bands = ["low", "mid", "high"];
        var table = new Table().AddColumns("policy value G", "patients", "G@3", "G@5", "G@3 SES low", "G@3 mid", "G@3 high", "value@3", "n");
        foreach (var group in results.GroupBy(r => (r.Ranker, r.Patients)))
        {
            PolicyValueResult? Find(int k, string dimension, string g) =>
                group.FirstOrDefault(r => r.K == k && r.Dimension == dimension && r.Group == g);
            var all3 = Find(3, "all", "all");
            table.AddRow([group.Key.Ranker, group.Key.Patients, G(all3), G(Find(5, "all", "all")),
                .. bands.Select(b => G(Find(3, "SES band", b))), F(all3?.Value), (all3?.Count ?? 0).ToString(CultureInfo.InvariantCulture)]);
        }
        AnsiConsole.Write(table);
        foreach (var r in results.Where(r => r.Dimension == "all" && r.Patients == PolicyValue.New).DistinctBy(r => r.K))
            AnsiConsole.MarkupLineInterpolated($"top-{r.K}: random list {F(r.Random)}, oracle {F(r.Oracle)} (mean true keep-up probability, safety filter applied)");
        AnsiConsole.WriteLine("G = (ranker − random) / (oracle − random); known: holdout patients with training rows, scored with their id; "
            + "new: every holdout patient scored as if their id were unseen.");
        static string G(PolicyValueResult? r) => r is null ? "—" : r.Gain.ToString("F3", CultureInfo.InvariantCulture);
        static string F(double? x) => x?.ToString("F3", CultureInfo.InvariantCulture) ?? "—";
    }
}
