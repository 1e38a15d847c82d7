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

    private static string? Preference(Preferences pref, Intervention item)
    {
        var matches = new List<string>();
        if (pref.Guidance == item.Format.Guidance) matches.Add(item.Format.Guidance == Guidance.Guided ? "guided" : "unguided");
        if (pref.Delivery == item.Format.Delivery) matches.Add(item.Format.Delivery switch { Delivery.InPerson => "in-person", Delivery.App => "app-based", _ => "online" });
        if (pref.Setting == item.Format.Setting) matches.Add(item.Format.Setting == Setting.Group ? "group" : "one-to-one");
        if (matches.Count > 0) return $"It matches your wish for {string.Join(", ", matches)} support.";
        var goal = item.Targets.FirstOrDefault(pref.Goals.Contains);
        if (pref.Goals.Contains(goal)) return $"You said you want to work on {Describe(goal)}.";
        if (pref.MaxCostEuroCents is not null && item.CostEuroCents == 0) return "It is free or reimbursed, as you asked.";
        return null;
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
