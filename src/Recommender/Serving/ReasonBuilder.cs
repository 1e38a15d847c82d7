using System.Globalization;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Patients;

namespace Benefit.Recommender.Serving;

/// <summary>Two or three plain-language reasons per suggestion, built from real measurements, stated wishes and the model's strongest field.</summary>
public static class ReasonBuilder
{
    // Invariant month names ("3 Nov", "27 Sep"): en-GB would write "Sept".
    private static readonly CultureInfo English = CultureInfo.InvariantCulture;

    public static IReadOnlyList<string> For(PatientContext patient, Intervention item, ModelSnapshot? model, FieldSide? side, bool personalised)
    {
        var reasons = new List<string>();
        if (personalised)
        {
            reasons.AddRange(Targets.OutOfRange(patient).Where(t => item.Targets.Contains(t.Target))
                .OrderBy(t => t.Target).Take(2).Select(t => Measured(t.Feature, t.Measurement)));
            if (Preference(patient.Preferences, item) is { } wish) reasons.Add(wish);
            if (reasons.Count < 3 && model is not null && side is not null && Strongest(model, side, item) is { } why) reasons.Add(why);
        }
        if (reasons.Count < 2)
            reasons.Add(item.CostEuroCents == 0 ? "It is free or reimbursed by basic health insurance." : $"It costs €{item.CostEuroCents / 100.0:0.##}.");
        if (reasons.Count < 2) reasons.Add("Evidence: " + item.Evidence);
        return reasons.Take(3).ToList();
    }

    public static string Measured(ClinicalFeature feature, Measurement m)
    {
        var on = m.Date.ToString("d MMM", English);
        return feature switch
        {
            ClinicalFeature.BloodPressure => $"Your blood pressure was {m.Value:0}/{m.Secondary ?? 0:0} on {on}; the target is below 140/90.",
            ClinicalFeature.LdlMmolPerL => $"Your LDL cholesterol was {Num(m.Value)} mmol/L on {on}; the target is below 1.8.",
            ClinicalFeature.HbA1cPercent => $"Your HbA1c was {Num(m.Value)} % on {on}; the target is below 7 %.",
            ClinicalFeature.BodyMassIndex => $"Your BMI was {Num(m.Value)} on {on}; a healthy BMI is below 25.",
            ClinicalFeature.StepsPerDay => $"You walked about {m.Value:0} steps a day (measured {on}); the aim is at least 7,000.",
            ClinicalFeature.Phq9 => $"Your mood score (PHQ-9) was {m.Value:0} on {on}; below 10 is the aim.",
            ClinicalFeature.Gad7 => $"Your worry score (GAD-7) was {m.Value:0} on {on}; below 10 is the aim.",
            ClinicalFeature.Stress => $"Your stress score was {m.Value:0} out of 10 on {on}; below 7 is the aim.",
            ClinicalFeature.AuditC => $"Your alcohol score (AUDIT-C) was {m.Value:0} on {on}; below 5 is the aim.",
            ClinicalFeature.CurrentSmoker => $"Your record on {on} says you smoke; stopping is the biggest single step for your heart.",
            _ => $"Your {feature} was {Num(m.Value)} on {on}.",
        };
    }

    private static string? Preference(Preferences pref, Intervention item) => Match(pref, item) switch
    {
        { Formats.Count: > 0 } m => $"It matches your wish for {string.Join(", ", m.Formats)} support.",
        { Goal: { } goal } => $"You said you want to work on {Describe(goal)}.",
        { FreeAsked: true } => "It is free or reimbursed, as you asked.",
        _ => null,
    };

    /// <summary>
    /// Short clinical reasons for the review page and CDS cards ("BP 148/100 mmHg on 6 Nov 2026, target &lt; 140/90"); the
    /// patient's own words stay in <see cref="Recommendation.Reasons"/>.
    /// </summary>
    public static IReadOnlyList<string> ForClinician(PatientContext patient, Recommendation r)
    {
        var reasons = new List<string>();
        if (r.Explored) reasons.Add("Shown to learn who it suits (exploration slot).");
        if (patient.PersonalisationConsent)
        {
            reasons.AddRange(Targets.OutOfRange(patient).Where(t => r.Intervention.Targets.Contains(t.Target))
                .OrderBy(t => t.Target).Take(2).Select(t => Clinical(t.Feature, t.Measurement)));
            switch (Match(patient.Preferences, r.Intervention))
            {
                case { Formats.Count: > 0 } m: reasons.Add($"Fits the patient's stated preference: {string.Join(", ", m.Formats)}."); break;
                case { Goal: { } goal }: reasons.Add($"Patient's own goal: {Describe(goal).Replace("your ", "", StringComparison.Ordinal)}."); break;
                case { FreeAsked: true }: reasons.Add("Free or reimbursed, as the patient asked."); break;
            }
        }
        else reasons.Add("Not personalised: the patient has not consented to personalisation.");
        if (reasons.Count == 0) reasons.Add($"Ranked {r.Rank} by the model for this patient's profile.");
        reasons.Add(r.Intervention.CostEuroCents == 0 ? "Free or reimbursed." : $"Costs €{r.Intervention.CostEuroCents / 100.0:0.##}.");
        return reasons.Take(3).ToList();
    }

    /// <summary>"BP 148/100 mmHg on 6 Nov 2026, target &lt; 140/90": the measurement against the target the patient-facing reason quotes.</summary>
    public static string Clinical(ClinicalFeature feature, Measurement m)
    {
        var measured = $"{ClinicalText.Label(feature)} {ClinicalText.Value(feature, m)} on {ClinicalText.Date(m.Date)}";
        var target = feature switch
        {
            ClinicalFeature.BloodPressure => "< 140/90",
            ClinicalFeature.LdlMmolPerL => "< 1.8 mmol/L",
            ClinicalFeature.HbA1cPercent => "< 7.0 %",
            ClinicalFeature.BodyMassIndex => "< 25",
            ClinicalFeature.StepsPerDay => "≥ 7,000 steps/day",
            ClinicalFeature.Phq9 or ClinicalFeature.Gad7 => "< 10",
            ClinicalFeature.Stress => "< 7",
            ClinicalFeature.AuditC => "< 5",
            _ => null,
        };
        return feature == ClinicalFeature.CurrentSmoker ? $"Current smoker (recorded {ClinicalText.Date(m.Date)})."
            : target is null ? measured + "." : $"{measured}, target {target}.";
    }

    private sealed record PreferenceMatch(List<string> Formats, RiskTarget? Goal, bool FreeAsked);

    private static PreferenceMatch Match(Preferences pref, Intervention item)
    {
        var formats = new List<string>();
        if (pref.Guidance == item.Format.Guidance) formats.Add(item.Format.Guidance == Guidance.Guided ? "guided" : "unguided");
        if (pref.Delivery == item.Format.Delivery) formats.Add(item.Format.Delivery switch { Delivery.InPerson => "in-person", Delivery.App => "app-based", _ => "online" });
        if (pref.Setting == item.Format.Setting) formats.Add(item.Format.Setting == Setting.Group ? "group" : "one-to-one");
        RiskTarget? goal = item.Targets.Where(pref.Goals.Contains).Select(t => (RiskTarget?)t).FirstOrDefault();
        return new PreferenceMatch(formats, goal, pref.MaxCostEuroCents is not null && item.CostEuroCents == 0);
    }

    /// <summary>Leave-one-field-out: the field whose removal lowers the score most says why the model likes this item.</summary>
    private static string? Strongest(ModelSnapshot model, FieldSide side, Intervention item)
    {
        var full = model.Score(side, item);
        var (field, gain) = new[] { ModelSnapshot.PatientField, ModelSnapshot.ContextField, ModelSnapshot.AttributeField, ModelSnapshot.InterventionField }
            .Select(f => (Field: f, Gain: full - model.ScoreWithout(side, item, f))).MaxBy(x => x.Gain);
        if (gain <= 0.05f) return null;
        return field switch
        {
            ModelSnapshot.ContextField => "People with a similar profile kept this up.",
            ModelSnapshot.PatientField => "It fits what you took up and kept up before.",
            ModelSnapshot.AttributeField => $"Its format ({Format(item)}) suits people like you.",
            _ => "Many people kept this one up.",
        };
    }

    private static string Format(Intervention i) =>
        $"{i.Format.Guidance}, {i.Format.Delivery}, {i.Format.Setting}".ToLowerInvariant().Replace("inperson", "in person", StringComparison.Ordinal);

    private static string Describe(RiskTarget t) => t switch
    {
        RiskTarget.BloodPressure => "your blood pressure", RiskTarget.Ldl => "your cholesterol", RiskTarget.Glucose => "your blood sugar",
        RiskTarget.Inactivity => "moving more", _ => "your " + t.ToString().ToLowerInvariant(),
    };

    private static string Num(double x) => x.ToString("0.0", English);
}
