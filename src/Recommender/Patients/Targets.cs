using Benefit.Recommender.Catalog;

namespace Benefit.Recommender.Patients;

/// <summary>
/// Cardiac-rehab treatment targets (ESC 2021 prevention guideline, simplified) and which risk factor each serves: the model's
/// context features and the reasons read them. Alerts and contraindications come from <see cref="ClinicalThresholds"/>, whose
/// lowest lines a test holds to these targets.
/// </summary>
public static class Targets
{
    public static bool BloodPressureHigh(Measurement m) => m.Value >= 140 || (m.Secondary ?? 0) >= 90;
    public static bool LdlHigh(Measurement m) => m.Value >= 1.8;
    public static bool HbA1cHigh(Measurement m) => m.Value >= 7.0;
    public static bool BmiHigh(Measurement m) => m.Value >= 25;
    public static bool Inactive(Measurement m) => m.Value < 7000;
    public static bool MoodLow(Measurement m) => m.Value >= 10;
    public static bool AnxietyHigh(Measurement m) => m.Value >= 10;
    public static bool StressHigh(Measurement m) => m.Value >= 7;
    public static bool AlcoholRisky(Measurement m) => m.Value >= 5;
    public static bool Smoking(Measurement m) => m.Value >= 0.5;

    /// <summary>Risk factors whose latest measurement is outside its target, with the measurement that shows it.</summary>
    public static IEnumerable<(RiskTarget Target, ClinicalFeature Feature, Measurement Measurement)> OutOfRange(PatientContext p)
    {
        foreach (var (feature, m) in p.Observations)
        {
            RiskTarget? target = feature switch
            {
                ClinicalFeature.BloodPressure when BloodPressureHigh(m) => RiskTarget.BloodPressure,
                ClinicalFeature.LdlMmolPerL when LdlHigh(m) => RiskTarget.Ldl,
                ClinicalFeature.HbA1cPercent when HbA1cHigh(m) => RiskTarget.Glucose,
                ClinicalFeature.BodyMassIndex when BmiHigh(m) => RiskTarget.Weight,
                ClinicalFeature.StepsPerDay when Inactive(m) => RiskTarget.Inactivity,
                ClinicalFeature.Phq9 when MoodLow(m) => RiskTarget.Mood,
                ClinicalFeature.Gad7 when AnxietyHigh(m) => RiskTarget.Stress,
                ClinicalFeature.Stress when StressHigh(m) => RiskTarget.Stress,
                ClinicalFeature.AuditC when AlcoholRisky(m) => RiskTarget.Alcohol,
                ClinicalFeature.CurrentSmoker when Smoking(m) => RiskTarget.Smoking,
                _ => null,
            };
            if (target is { } t)
                yield return (t, feature, m);
        }
    }
}
