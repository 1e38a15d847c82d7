using Benefit.Recommender.Catalog;

namespace Benefit.Recommender.Patients;

/// <summary>Everything the recommender may know about one patient at one moment; the API fills it from the FHIR snapshot.</summary>
public sealed record PatientContext
{
    public required string PatientId { get; init; }
    /// <summary>"45-54", "55-64", "65-74" or "75-84" (older patients use the last band).</summary>
    public required string AgeBand { get; init; }
    /// <summary>"male" or "female" (anything else is treated as unknown).</summary>
    public required string Sex { get; init; }
    /// <summary>"low", "mid" or "high" socio-economic band, from data or asked — never guessed.</summary>
    public required string SocioEconomicBand { get; init; }
    /// <summary>Latest value of each feature with the date it was measured.</summary>
    public IReadOnlyDictionary<ClinicalFeature, Measurement> Observations { get; init; } =
        new Dictionary<ClinicalFeature, Measurement>();
    public Preferences Preferences { get; init; } = new();
    /// <summary>Without this consent the patient gets the same non-personalised list as everyone else.</summary>
    public bool PersonalisationConsent { get; init; } = true;
    /// <summary>Patient state the safety filter needs but FHIR observations do not carry (e.g. a recent event).</summary>
    public IReadOnlySet<Contraindication> KnownConditions { get; init; } = new HashSet<Contraindication>();
    /// <summary>Language the patient prefers ("nl", "en", …); null when any will do.</summary>
    public string? Language { get; init; }

    public Measurement? Latest(ClinicalFeature feature) => Observations.GetValueOrDefault(feature);
}

/// <summary>One measured value; blood pressure carries the diastolic in <see cref="Secondary"/>.</summary>
public sealed record Measurement(double Value, DateOnly Date, double? Secondary = null);

/// <summary>The features the recommender reads (a subset of the FHIR snapshot, in canonical units).</summary>
public enum ClinicalFeature
{
    /// <summary>Systolic in Value, diastolic in Secondary, mm[Hg].</summary>
    BloodPressure,
    BodyMassIndex,
    WeightKg,
    WaistCm,
    HbA1cPercent,
    LdlMmolPerL,
    /// <summary>1 = current smoker, 0 = former or never.</summary>
    CurrentSmoker,
    StepsPerDay,
    ExerciseMinutesPerWeek,
    Phq9,
    Gad7,
    Stress,
    AuditC,
}

/// <summary>What matters to the patient; every field is optional ("no preference").</summary>
public sealed record Preferences
{
    public Guidance? Guidance { get; init; }
    public Delivery? Delivery { get; init; }
    public Setting? Setting { get; init; }
    /// <summary>Maximum cost the patient is willing to pay, in euro cents; null = no limit stated.</summary>
    public int? MaxCostEuroCents { get; init; }
    public int? MinutesPerWeek { get; init; }
    public IReadOnlyList<RiskTarget> Goals { get; init; } = [];
    /// <summary>Set when the patient asked for one category only; relaxes the diversity rule.</summary>
    public InterventionCategory? OnlyCategory { get; init; }
}
