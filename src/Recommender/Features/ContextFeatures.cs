using Benefit.Recommender.Catalog;
using Benefit.Recommender.Patients;

namespace Benefit.Recommender.Features;

/// <summary>Turns a patient context into the fixed-length vector of the FFM's patient-context field (values in [0, 1]).</summary>
public static class ContextFeatures
{
    private static readonly string[] AgeBands = ["45-54", "55-64", "65-74", "75-84"];
    private static readonly string[] SesBands = ["low", "mid", "high"];
    // Cached once: Enum.GetValues allocates on every call and this runs on every request.
    private static readonly Delivery[] Deliveries = Enum.GetValues<Delivery>();
    private static readonly Setting[] Settings = Enum.GetValues<Setting>();
    private static readonly RiskTarget[] RiskTargets = Enum.GetValues<RiskTarget>();

    public static readonly string[] Names = BuildNames();

    public static int Length => Names.Length;

    public static float[] Encode(PatientContext p)
    {
        var v = new float[Length];
        var i = 0;
        foreach (var band in AgeBands) v[i++] = p.AgeBand == band ? 1 : 0;
        v[i++] = p.Sex == "male" ? 1 : 0;
        v[i++] = p.Sex == "female" ? 1 : 0;
        foreach (var band in SesBands) v[i++] = p.SocioEconomicBand == band ? 1 : 0;

        var bp = p.Latest(ClinicalFeature.BloodPressure);
        v[i++] = Scale(bp?.Value, 100, 200);
        v[i++] = Flag(bp, Targets.BloodPressureHigh);
        var bmi = p.Latest(ClinicalFeature.BodyMassIndex);
        v[i++] = Scale(bmi?.Value, 18, 45);
        v[i++] = Flag(bmi, m => m.Value >= 30);
        var ldl = p.Latest(ClinicalFeature.LdlMmolPerL);
        v[i++] = Scale(ldl?.Value, 0.5, 6);
        v[i++] = Flag(ldl, Targets.LdlHigh);
        var a1c = p.Latest(ClinicalFeature.HbA1cPercent);
        v[i++] = Scale(a1c?.Value, 4.5, 11);
        v[i++] = Flag(a1c, Targets.HbA1cHigh);
        v[i++] = Flag(p.Latest(ClinicalFeature.CurrentSmoker), Targets.Smoking);
        var steps = p.Latest(ClinicalFeature.StepsPerDay);
        v[i++] = Scale(steps?.Value, 0, 15000);
        v[i++] = Flag(steps, Targets.Inactive);
        var phq = p.Latest(ClinicalFeature.Phq9);
        v[i++] = Scale(phq?.Value, 0, 27);
        v[i++] = Flag(phq, Targets.MoodLow);
        v[i++] = Flag(p.Latest(ClinicalFeature.Gad7), Targets.AnxietyHigh);
        v[i++] = Flag(p.Latest(ClinicalFeature.Stress), Targets.StressHigh);
        v[i++] = Flag(p.Latest(ClinicalFeature.AuditC), Targets.AlcoholRisky);

        var pref = p.Preferences;
        v[i++] = pref.Guidance == Guidance.Guided ? 1 : 0;
        v[i++] = pref.Guidance == Guidance.Unguided ? 1 : 0;
        foreach (var d in Deliveries) v[i++] = pref.Delivery == d ? 1 : 0;
        foreach (var s in Settings) v[i++] = pref.Setting == s ? 1 : 0;
        v[i++] = pref.MaxCostEuroCents == 0 ? 1 : 0;
        v[i++] = pref.MaxCostEuroCents is { } max ? Scale(max, 0, 30000) : 1;
        v[i++] = pref.MinutesPerWeek is { } minutes ? Scale(minutes, 0, 300) : 1;
        foreach (var t in RiskTargets) v[i++] = pref.Goals.Contains(t) ? 1 : 0;
        return v;
    }

    private static float Scale(double? value, double min, double max) =>
        value is { } x ? (float)Math.Clamp((x - min) / (max - min), 0, 1) : 0f;

    private static float Flag(Measurement? m, Func<Measurement, bool> test) => m is not null && test(m) ? 1 : 0;

    private static string[] BuildNames()
    {
        var names = new List<string>();
        names.AddRange(AgeBands.Select(b => "age " + b));
        names.AddRange(["male", "female"]);
        names.AddRange(SesBands.Select(b => "SES " + b));
        names.AddRange(["systolic BP", "BP above target", "BMI", "BMI ≥ 30", "LDL", "LDL above target", "HbA1c",
            "HbA1c above target", "smoker", "steps", "inactive", "PHQ-9", "low mood", "anxiety", "stress", "alcohol"]);
        names.AddRange(["wants guided", "wants unguided"]);
        names.AddRange(Enum.GetNames<Delivery>().Select(d => "wants " + d));
        names.AddRange(Enum.GetNames<Setting>().Select(s => "wants " + s));
        names.AddRange(["free only", "max cost", "time per week"]);
        names.AddRange(Enum.GetNames<RiskTarget>().Select(t => "goal " + t));
        return [.. names];
    }
}
