using Hl7.Fhir.Model;

namespace Benefit.Fhir.Tests.Support;

/// <summary>Builds small Observations for mapping tests.</summary>
internal static class Obs
{
    public const string Loinc = "http://loinc.org";
    public const string Ucum = "http://unitsofmeasure.org";
    public static readonly DateTimeOffset Day0 = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    public static Observation Quantity(string code, decimal value, string unit, int day = 0, string? id = null,
        ObservationStatus status = ObservationStatus.Final) => new()
    {
        Id = id ?? $"{code}-{day}-{value}",
        Meta = new Meta { VersionId = "1" },
        Status = status,
        Code = new CodeableConcept(Loinc, code),
        Effective = new FhirDateTime(Day0.AddDays(day)),
        Value = new Quantity { Value = value, System = Ucum, Code = unit, Unit = unit },
    };

    public static Observation BloodPressure(decimal systolic, decimal diastolic, int day = 0, string panel = "85354-9", string? id = null) => new()
    {
        Id = id ?? $"bp-{day}",
        Meta = new Meta { VersionId = "1" },
        Status = ObservationStatus.Final,
        Code = new CodeableConcept(Loinc, panel),
        Effective = new FhirDateTime(Day0.AddDays(day)),
        Component =
        [
            new Observation.ComponentComponent { Code = new CodeableConcept(Loinc, "8480-6"), Value = new Quantity { Value = systolic, System = Ucum, Code = "mm[Hg]" } },
            new Observation.ComponentComponent { Code = new CodeableConcept(Loinc, "8462-4"), Value = new Quantity { Value = diastolic, System = Ucum, Code = "mm[Hg]" } },
        ],
    };

    public static Observation Smoking(string snomed, int day = 0) => new()
    {
        Id = $"smoking-{day}",
        Status = ObservationStatus.Final,
        Code = new CodeableConcept(Loinc, "72166-2"),
        Effective = new FhirDateTime(Day0.AddDays(day)),
        Value = new CodeableConcept("http://snomed.info/sct", snomed),
    };

    public static Observation Score(string code, int score, int day = 0) => new()
    {
        Id = $"{code}-{day}",
        Status = ObservationStatus.Final,
        Code = new CodeableConcept(Loinc, code),
        Effective = new FhirDateTime(Day0.AddDays(day)),
        Value = new Integer(score),
    };
}
