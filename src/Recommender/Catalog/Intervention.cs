using System.Text.Json.Serialization;

namespace Benefit.Recommender.Catalog;

/// <summary>A proven-effective lifestyle intervention a patient can take up (one entry of data/interventions.json).</summary>
public sealed record Intervention
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required InterventionCategory Category { get; init; }
    public required Provider Provider { get; init; }
    public required InterventionFormat Format { get; init; }
    public required Intensity Intensity { get; init; }
    /// <summary>Cost to the patient in euro cents (0 = free or reimbursed).</summary>
    public required int CostEuroCents { get; init; }
    public required IReadOnlyList<string> Languages { get; init; }
    public required IReadOnlyList<RiskTarget> Targets { get; init; }
    public required Safety Safety { get; init; }
    public required string Evidence { get; init; }
}

public sealed record Provider(string Name, ProviderKind Kind);

public sealed record InterventionFormat(Guidance Guidance, Delivery Delivery, Setting Setting);

/// <summary>Planned dose: how many weeks, sessions per week and minutes per session.</summary>
public sealed record Intensity(int Weeks, int SessionsPerWeek, int MinutesPerSession)
{
    public int PlannedSessions => Weeks * SessionsPerWeek;
    public int MinutesPerWeek => SessionsPerWeek * MinutesPerSession;
}

/// <summary>Safety attributes the recommender's filter enforces before any ranking.</summary>
public sealed record Safety(bool NeedsClinicianClearance, IReadOnlyList<Contraindication> Contraindications);

[JsonConverter(typeof(JsonStringEnumConverter<InterventionCategory>))]
public enum InterventionCategory
{
    PhysicalActivity, Nutrition, SmokingCessation, StressAndMood, Sleep, Alcohol, Weight,
    BloodPressureMonitoring, MedicationAdherence, SocialSupport,
}

[JsonConverter(typeof(JsonStringEnumConverter<ProviderKind>))]
public enum ProviderKind { Public, Private }

[JsonConverter(typeof(JsonStringEnumConverter<Guidance>))]
public enum Guidance { Guided, Unguided }

[JsonConverter(typeof(JsonStringEnumConverter<Delivery>))]
public enum Delivery { Online, InPerson, App }

[JsonConverter(typeof(JsonStringEnumConverter<Setting>))]
public enum Setting { Group, Individual }

[JsonConverter(typeof(JsonStringEnumConverter<RiskTarget>))]
public enum RiskTarget { BloodPressure, Ldl, Smoking, Weight, Inactivity, Stress, Mood, Glucose, Alcohol, Sleep }

/// <summary>Conditions under which an intervention must not be offered without (or at all despite) clinician review.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Contraindication>))]
public enum Contraindication
{
    /// <summary>Resting systolic ≥ 180 or diastolic ≥ 110 mm[Hg]: no vigorous exercise until controlled.</summary>
    UncontrolledHypertension,
    /// <summary>Recent cardiac event (&lt; 6 weeks): only supervised cardiac rehabilitation.</summary>
    RecentCardiacEvent,
    /// <summary>PHQ-9 ≥ 20: self-guided apps are not a substitute for care.</summary>
    SevereDepression,
    /// <summary>Insulin-treated diabetes / HbA1c ≥ 9 %: fasting or very-low-calorie diets need supervision.</summary>
    PoorlyControlledDiabetes,
    /// <summary>Heart failure NYHA III–IV: high-intensity training is contraindicated.</summary>
    AdvancedHeartFailure,
    /// <summary>BMI ≥ 40: high-impact activity (running) carries injury risk.</summary>
    SevereObesity,
    Pregnancy,
}
