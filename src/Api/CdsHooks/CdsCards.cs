using System.Text;
using Benefit.Api.Reviews;
using Benefit.Recommender.Patients;
using Benefit.Recommender.Serving;

namespace Benefit.Api.CdsHooks;

/// <summary>
/// Turns a patient's picture into CDS Hooks cards: one critical or warning card per alert, then one info card per suggestion, with
/// the reasons and a way back to the review page.
/// </summary>
public static class CdsCards
{
    public const int MaxSummary = 140;
    private const string ReasonSystem = "https://benefit.example/cds/override-reason";

    /// <summary>Offered, never required: a clinician may override without choosing any of these.</summary>
    public static readonly IReadOnlyList<CdsCoding> OverrideReasons =
    [
        new(ReasonSystem, "not-suitable", "Not suitable for this patient now"),
        new(ReasonSystem, "patient-declined", "Patient prefers something else"),
        new(ReasonSystem, "already-doing", "Already doing this or similar"),
    ];

    /// <summary>A suggestion card in the clinician's voice (the reasons a clinician reads, not the patient's).</summary>
    public static CdsCard Build(Recommendation item, RecommendationList list, PatientContext patient, string cardId, string patientId, string reviewUrl)
    {
        var name = item.Intervention.Name;
        var reasons = ReasonBuilder.ForClinician(patient, item);
        var summary = Truncate(reasons.Count > 0 ? $"Suggest {name}: {reasons[0]}" : $"Suggest {name}");
        var detail = new StringBuilder()
            .Append("**").Append(Escape(name)).Append("** — ").Append(Escape(item.Intervention.Provider.Name)).Append("\n\n")
            .Append("Why this fits:\n\n");
        foreach (var reason in reasons)
            detail.Append("- ").Append(Escape(reason)).Append('\n');
        detail.Append('\n').Append($"Rank {item.Rank}, model `{list.ModelVersion}`")
            .Append(list.Personalised ? "." : " — not personalised (no consent).")
            .Append(item.EndorsedByCareTeam ? " Already recommended by the care team." : "");

        return new CdsCard(
            cardId, summary, detail.ToString(), "info",
            new CdsSource("Benefit lifestyle suggestions"),
            [new CdsSuggestion($"Recommend {name} to the patient", $"{cardId}-endorse", IsRecommended: true)],
            "at-most-one",
            OverrideReasons,
            [new CdsLink("Review in Benefit", $"{reviewUrl}#patient={Uri.EscapeDataString(patientId)}", "absolute")]);
    }

    /// <summary>A critical or warning alert as its own card, shown before the suggestions: the value, its date, the line it reached and its source.</summary>
    public static CdsCard Alert(AlertView alert, string cardId, string patientId, string reviewUrl)
    {
        var level = alert.Level == "critical" ? "Critical" : "Warning";
        var detail = new StringBuilder()
            .Append("**").Append(Escape($"{alert.Label} {alert.Display}")).Append("** on ").Append(alert.DateText)
            .Append(" — threshold ").Append(Escape(alert.Threshold)).Append(": ").Append(Escape(alert.Meaning)).Append(".\n\n")
            .Append("Source: ").Append(Escape(alert.Source)).Append('.');
        return new CdsCard(
            cardId, Truncate($"{level}: {alert.Label} {alert.Display} on {alert.DateText} ({alert.Threshold})"), detail.ToString(), alert.Level,
            new CdsSource($"Benefit clinical thresholds: {alert.Source}"),
            [], "at-most-one", [],
            [new CdsLink("Review in Benefit", $"{reviewUrl}#patient={Uri.EscapeDataString(patientId)}", "absolute")]);
    }

    public static string Truncate(string text) => text.Length <= MaxSummary ? text : string.Concat(text.AsSpan(0, MaxSummary - 1), "…");

    // Reasons are plain text; keep them from turning into markdown by accident.
    private static string Escape(string text) => text.Replace("*", "\\*").Replace("_", "\\_").Replace("`", "\\`");
}
