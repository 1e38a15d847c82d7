using Benefit.Recommender.Patients;

namespace Benefit.Recommender.Cohort;

/// <summary>A generated patient: demographics, preferences, dated measurement series and the hidden taste vector.</summary>
public sealed class CohortPatient
{
    public required string Id { get; init; }
    public required int Age { get; init; }
    public required string Sex { get; init; }
    public required string SocioEconomicBand { get; init; }
    public required double HeightCm { get; init; }
    public required string SmokingCode { get; init; }
    public required Preferences Preferences { get; init; }
    public required string Language { get; init; }
    /// <summary>Hidden taste the response model uses; only identity fields can learn it.</summary>
    public required double[] Taste { get; init; }
    public required IReadOnlyDictionary<ObservationKind, Series> Series { get; init; }

    public string AgeBand => Age switch { < 55 => "45-54", < 65 => "55-64", < 75 => "65-74", _ => "75-84" };

    /// <summary>The context as a clinician would have seen it on <paramref name="day"/>: latest measurement on or before it.</summary>
    public PatientContext ContextAt(DateOnly day)
    {
        var obs = new Dictionary<ClinicalFeature, Measurement>();
        void Put(ClinicalFeature feature, ObservationKind kind, ObservationKind? secondary = null)
        {
            if (!Series.TryGetValue(kind, out var s) || s.IndexAt(day) is not { } i) return;
            double? second = secondary is { } k && Series.TryGetValue(k, out var s2) ? s2.Values[i] : null;
            obs[feature] = new Measurement(s.Values[i], s.Dates[i], second);
        }
        Put(ClinicalFeature.BloodPressure, ObservationKind.Systolic, ObservationKind.Diastolic);
        Put(ClinicalFeature.BodyMassIndex, ObservationKind.Bmi);
        Put(ClinicalFeature.WeightKg, ObservationKind.Weight);
        Put(ClinicalFeature.WaistCm, ObservationKind.Waist);
        Put(ClinicalFeature.HbA1cPercent, ObservationKind.HbA1c);
        Put(ClinicalFeature.LdlMmolPerL, ObservationKind.Ldl);
        Put(ClinicalFeature.CurrentSmoker, ObservationKind.Smoking);
        Put(ClinicalFeature.StepsPerDay, ObservationKind.Steps);
        Put(ClinicalFeature.ExerciseMinutesPerWeek, ObservationKind.Exercise);
        Put(ClinicalFeature.Phq9, ObservationKind.Phq9);
        Put(ClinicalFeature.Gad7, ObservationKind.Gad7);
        Put(ClinicalFeature.Stress, ObservationKind.Stress);
        Put(ClinicalFeature.AuditC, ObservationKind.AuditC);
        return new PatientContext
        {
            PatientId = Id, AgeBand = AgeBand, Sex = Sex, SocioEconomicBand = SocioEconomicBand,
            Observations = obs, Preferences = Preferences, Language = Language,
        };
    }
}

/// <summary>Measurements of one kind, oldest first.</summary>
public sealed record Series(DateOnly[] Dates, double[] Values)
{
    public int? IndexAt(DateOnly day)
    {
        var i = Array.BinarySearch(Dates, day);
        if (i < 0) i = ~i - 1;
        return i >= 0 ? i : null;
    }
}

public enum ObservationKind
{
    Systolic, Diastolic, Weight, Height, Bmi, Waist, HbA1c, Ldl, TotalCholesterol, Hdl, Smoking, Steps, Exercise,
    Phq9, Gad7, Stress, AuditC,
}
