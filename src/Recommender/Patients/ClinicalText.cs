using System.Globalization;

namespace Benefit.Recommender.Patients;

/// <summary>Short clinical names, units and values for the clinician's voice ("BP 184/112 mmHg on 9 Nov 2026"); patients read ReasonBuilder's words.</summary>
public static class ClinicalText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Label(ClinicalFeature feature) => feature switch
    {
        ClinicalFeature.BloodPressure => "BP",
        ClinicalFeature.BodyMassIndex => "BMI",
        ClinicalFeature.WeightKg => "Weight",
        ClinicalFeature.WaistCm => "Waist",
        ClinicalFeature.HbA1cPercent => "HbA1c",
        ClinicalFeature.LdlMmolPerL => "LDL",
        ClinicalFeature.CurrentSmoker => "Smoking",
        ClinicalFeature.StepsPerDay => "Steps",
        ClinicalFeature.ExerciseMinutesPerWeek => "Exercise",
        ClinicalFeature.Phq9 => "PHQ-9",
        ClinicalFeature.Gad7 => "GAD-7",
        ClinicalFeature.Stress => "Stress",
        ClinicalFeature.AuditC => "AUDIT-C",
        _ => feature.ToString(),
    };

    public static string Unit(ClinicalFeature feature) => feature switch
    {
        ClinicalFeature.BloodPressure => "mmHg",
        ClinicalFeature.BodyMassIndex => "kg/m²",
        ClinicalFeature.WeightKg => "kg",
        ClinicalFeature.WaistCm => "cm",
        ClinicalFeature.HbA1cPercent => "%",
        ClinicalFeature.LdlMmolPerL => "mmol/L",
        ClinicalFeature.StepsPerDay => "steps/day",
        ClinicalFeature.ExerciseMinutesPerWeek => "min/week",
        _ => "",
    };

    public static string Number(ClinicalFeature feature, double value) => feature switch
    {
        ClinicalFeature.BodyMassIndex or ClinicalFeature.WeightKg or ClinicalFeature.HbA1cPercent or ClinicalFeature.LdlMmolPerL
            => value.ToString("0.0", Invariant),
        _ => value.ToString("0", Invariant),
    };

    /// <summary>"184/112 mmHg", "8.1 % (65 mmol/mol)" — Dutch labs report HbA1c in mmol/mol (IFCC), so both are given.</summary>
    public static string Value(ClinicalFeature feature, Measurement m)
    {
        var number = Number(feature, m.Value) + (feature == ClinicalFeature.BloodPressure && m.Secondary is { } dia ? "/" + Number(feature, dia) : "");
        var unit = Unit(feature);
        var text = unit.Length == 0 ? number : $"{number} {unit}";
        return feature == ClinicalFeature.HbA1cPercent ? $"{text} ({((m.Value - 2.152) / 0.09148).ToString("0", Invariant)} mmol/mol)" : text;
    }

    public static string Date(DateOnly date) => date.ToString("d MMM yyyy", Invariant);
}
