using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Benefit.Recommender.Cohort;

/// <summary>Writes a generated patient as a FHIR R4 transaction Bundle: the Patient and dated Observations of the last months.</summary>
public static class FhirBundleBuilder
{
    private const string Loinc = "http://loinc.org";
    private const string Ucum = "http://unitsofmeasure.org";
    private const string Snomed = "http://snomed.info/sct";

    private static readonly FhirJsonSerializer Serializer = new();

    private static readonly Dictionary<ObservationKind, (string Code, string Display, string Unit, string Category)> Codes = new()
    {
        [ObservationKind.Weight] = ("29463-7", "Body weight", "kg", "vital-signs"),
        [ObservationKind.Height] = ("8302-2", "Body height", "cm", "vital-signs"),
        [ObservationKind.Bmi] = ("39156-5", "Body mass index (BMI) [Ratio]", "kg/m2", "vital-signs"),
        [ObservationKind.Waist] = ("8280-0", "Waist Circumference at umbilicus by Tape measure", "cm", "vital-signs"),
        [ObservationKind.HbA1c] = ("4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "%", "laboratory"),
        [ObservationKind.Ldl] = ("18262-6", "Cholesterol in LDL [Moles/volume] in Serum or Plasma by Direct assay", "mmol/L", "laboratory"),
        [ObservationKind.TotalCholesterol] = ("2093-3", "Cholesterol [Mass/volume] in Serum or Plasma", "mmol/L", "laboratory"),
        [ObservationKind.Hdl] = ("2085-9", "Cholesterol in HDL [Mass/volume] in Serum or Plasma", "mmol/L", "laboratory"),
        [ObservationKind.Steps] = ("41950-7", "Number of steps in 24 hour Measured", "/d", "activity"),
        [ObservationKind.Exercise] = ("82290-8", "Frequency of moderate to vigorous aerobic physical activity", "min/wk", "activity"),
        [ObservationKind.Phq9] = ("44261-6", "Patient Health Questionnaire 9 item (PHQ-9) total score", "{score}", "survey"),
        [ObservationKind.Gad7] = ("70274-6", "Generalized anxiety disorder 7 item (GAD-7) total score", "{score}", "survey"),
        [ObservationKind.Stress] = ("93038-8", "Stress level", "{score}", "survey"),
        [ObservationKind.AuditC] = ("75626-2", "Total score [AUDIT-C]", "{score}", "survey"),
    };

    public static string ToJson(this Bundle bundle) => Serializer.SerializeToString(bundle);

    public static Bundle Build(CohortPatient p, DateOnly asOf, int monthsBack = 6, int? birthYear = null)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        var patient = new Patient
        {
            Id = p.Id,
            Gender = p.Sex == "male" ? AdministrativeGender.Male : AdministrativeGender.Female,
            BirthDate = (birthYear ?? asOf.Year - p.Age).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Communication = [new Patient.CommunicationComponent { Language = new CodeableConcept("urn:ietf:bcp:47", p.Language) }],
        };
        Add(bundle, patient);

        var since = asOf.AddMonths(-monthsBack);
        foreach (var (kind, series) in p.Series.OrderBy(s => s.Key))
        {
            for (var i = 0; i < series.Dates.Length; i++)
            {
                var day = series.Dates[i];
                // Height is measured once; keep it even when it is older than the window so BMI can be derived.
                if ((day < since && kind != ObservationKind.Height) || day > asOf) continue;
                var obs = kind switch
                {
                    ObservationKind.Systolic => BloodPressure(series.Values[i], p.Series[ObservationKind.Diastolic].Values[i]),
                    ObservationKind.Diastolic => null,
                    ObservationKind.Smoking => Smoking(series.Values[i] >= 0.5 ? p.SmokingCode : FormerOrNever(p.SmokingCode)),
                    _ => Quantity(kind, series.Values[i]),
                };
                if (obs is null) continue;
                obs.Id = $"{p.Id}-{kind.ToString().ToLowerInvariant()}-{i}";
                obs.Status = ObservationStatus.Final;
                obs.Subject = new ResourceReference("Patient/" + p.Id);
                obs.Effective = new FhirDateTime(new DateTimeOffset(day.ToDateTime(new TimeOnly(9, 30)), TimeSpan.Zero));
                Add(bundle, obs);
            }
        }
        return bundle;
    }

    private static string FormerOrNever(string code) => code is "8517006" or "266919005" ? code : "8517006";

    private static Observation Quantity(ObservationKind kind, double value)
    {
        var (code, display, unit, category) = Codes[kind];
        return new Observation
        {
            Category = [Category(category)],
            Code = new CodeableConcept(Loinc, code, display),
            Value = new Quantity((decimal)value, unit) { System = Ucum, Code = unit },
        };
    }

    private static Observation BloodPressure(double systolic, double diastolic) => new()
    {
        Category = [Category("vital-signs")],
        Code = new CodeableConcept(Loinc, "85354-9", "Blood pressure panel with all children optional"),
        Component =
        [
            new Observation.ComponentComponent { Code = new CodeableConcept(Loinc, "8480-6", "Systolic blood pressure"), Value = MmHg(systolic) },
            new Observation.ComponentComponent { Code = new CodeableConcept(Loinc, "8462-4", "Diastolic blood pressure"), Value = MmHg(diastolic) },
        ],
    };

    private static Quantity MmHg(double v) => new((decimal)v, "mmHg") { System = Ucum, Code = "mm[Hg]" };

    private static Observation Smoking(string snomed) => new()
    {
        Category = [Category("social-history")],
        Code = new CodeableConcept(Loinc, "72166-2", "Tobacco smoking status"),
        Value = new CodeableConcept(Snomed, snomed, snomed switch
        {
            "449868002" => "Smokes tobacco daily", "428071000124103" => "Heavy tobacco smoker",
            "8517006" => "Ex-smoker", _ => "Never smoked tobacco",
        }),
    };

    private static CodeableConcept Category(string code) =>
        new("http://terminology.hl7.org/CodeSystem/observation-category", code);

    private static void Add(Bundle bundle, Resource resource) => bundle.Entry.Add(new Bundle.EntryComponent
    {
        Resource = resource,
        Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"{resource.TypeName}/{resource.Id}" },
    });
}
