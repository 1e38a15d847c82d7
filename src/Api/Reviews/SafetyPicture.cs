using Benefit.Recommender.Catalog;
using Benefit.Recommender.Patients;
using Benefit.Recommender.Serving;

namespace Benefit.Api.Reviews;

/// <summary>
/// What a clinician must see before any suggestion: the patient's alerts from the threshold table, what the safety filter
/// withheld and why, and what the care team cleared (so it can be taken back). Built from the same request the list was ranked from.
/// </summary>
public sealed class SafetyPicture(ClinicalThresholds thresholds, InterventionCatalog catalog, RecommendationOptions options, TimeProvider clock)
{
    public IReadOnlyList<AlertView> Alerts(PatientContext patient) => thresholds.Alerts(patient).Select(AlertView.From).ToList();

    public SafetyCheck Check(RecommendationRequest request) => new(request, clock.GetUtcNow(), options);

    /// <summary>Every intervention withheld for safety: contraindicated ones first (they cannot be cleared), then those awaiting clearance.</summary>
    public IReadOnlyList<WithheldView> Withheld(IEnumerable<Exclusion> excluded) =>
        excluded.Where(e => e.ForSafety).Select(e => (Exclusion: e, Item: catalog.Find(e.InterventionId)))
            .Where(x => x.Item is not null)
            .Select(x => Describe(x.Item!, x.Exclusion))
            .OrderBy(w => w.Clearable).ThenBy(w => w.Name, StringComparer.Ordinal).ToList();

    /// <summary>Interventions that need clearance and are cleared for this patient now, with the decision that cleared them.</summary>
    public IReadOnlyList<ClearedView> Cleared(SafetyCheck check) =>
        catalog.Items.Where(i => i.Safety.NeedsClinicianClearance && check.Contraindications(i).Count == 0)
            .Select(i => (Item: i, Decision: check.Clearance(i.Id)))
            .Where(x => x.Decision is not null)
            .Select(x => new ClearedView(x.Item.Id, x.Item.Name, Verb(x.Decision!.Action), x.Decision.At))
            .OrderByDescending(c => c.At).ToList();

    public WithheldView Describe(Intervention item, Exclusion exclusion)
    {
        if (exclusion.Kind == ExclusionKind.Contraindicated)
        {
            var rules = exclusion.Contraindications.Select(f =>
            {
                var text = thresholds.Describe(f.Condition);
                return new WithheldRule(f.Condition.ToString(), Capitalise(text.Label), text.Why,
                    f.Measured is { } alert ? AlertView.From(alert) : null, f.Measured is null ? "recorded by the care team" : null);
            }).ToList();
            var reason = string.Join(" ", rules.Select(r => r.Measurement is { } m
                ? $"{r.Label}: {m.Label} {m.Display} on {m.DateText} ({m.Threshold}) — {r.Why}."
                : $"{r.Label} ({r.RecordedBy}) — {r.Why}."));
            return new WithheldView(item.Id, item.Name, item.Category.ToString(), WithheldKinds.Contraindicated, false, reason,
                "An absolute contraindication: it cannot be cleared while the condition holds.", rules);
        }
        return new WithheldView(item.Id, item.Name, item.Category.ToString(), WithheldKinds.NeedsClearance, true,
            "Needs clearance by the care team before it is offered (catalogue rule for this intervention).",
            "Clear it for this patient in one click; the clearance can be revoked.", []);
    }

    private static string Verb(ClinicianAction action) => action switch
    {
        ClinicianAction.Endorse => "endorsed",
        ClinicianAction.Add => "added",
        _ => "cleared",
    };

    private static string Capitalise(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}

public static class WithheldKinds
{
    public const string Contraindicated = "contraindicated", NeedsClearance = "needs-clearance";
}

/// <summary>One alert: the measured value with its unit and date, the line it reached and where that line comes from.</summary>
public sealed record AlertView(string Level, string Feature, string Label, double Value, double? Secondary, string Unit, string Display,
    DateOnly Date, string DateText, string Threshold, string Meaning, string Source)
{
    /// <summary>"BP 184/112 mmHg on 9 Nov 2026 (≥ 180/110 mmHg: grade 3 hypertension: …)".</summary>
    public string Summary => $"{Label} {Display} on {DateText} ({Threshold}: {Meaning})";

    public static AlertView From(ClinicalAlert a) => new(
        a.Level.ToString().ToLowerInvariant(), a.Feature.ToString(), ClinicalText.Label(a.Feature), a.Measurement.Value,
        a.Feature == ClinicalFeature.BloodPressure ? a.Measurement.Secondary : null, ClinicalText.Unit(a.Feature),
        ClinicalText.Value(a.Feature, a.Measurement), a.Measurement.Date, ClinicalText.Date(a.Measurement.Date),
        a.Line.Threshold, a.Line.Meaning, a.Line.Source);
}

/// <summary>An intervention the safety filter withheld: <c>kind</c> contraindicated (not clearable) or needs-clearance (clearable).</summary>
public sealed record WithheldView(string InterventionId, string Name, string Category, string Kind, bool Clearable, string Reason,
    string Clearance, IReadOnlyList<WithheldRule> Rules);

/// <summary>One condition behind a contraindication, with the measurement that shows it or who recorded it.</summary>
public sealed record WithheldRule(string Condition, string Label, string Why, AlertView? Measurement, string? RecordedBy);

/// <summary>A clearance in force: <c>how</c> is cleared, endorsed or added (the latter two clear as well).</summary>
public sealed record ClearedView(string InterventionId, string Name, string How, DateTimeOffset At);
