using System.Collections.Frozen;

namespace Benefit.Fhir.Features;

/// <summary>One feature: its canonical unit, accepted UCUM units with their conversion, and the plausible range.</summary>
internal sealed record FeatureDefinition(
    string Feature,
    string Unit,
    decimal Min,
    decimal Max,
    FrozenDictionary<string, Func<decimal, decimal>> Units,
    bool UnitOptional = false);

/// <summary>The brief's observation table: LOINC codes, accepted units and physiologically plausible ranges.</summary>
/// <remarks>Ranges are wide on purpose (adults, after conversion): they reject typing and unit errors, not unusual patients. data/README.md lists them.</remarks>
internal static class FeatureCatalog
{
    public const string Loinc = "http://loinc.org";
    public const string Snomed = "http://snomed.info/sct";
    public const string Ucum = "http://unitsofmeasure.org";

    public const decimal PoundsToKg = 0.45359237m;
    public const decimal InchesToCm = 2.54m;
    public const decimal CholesterolMgPerDlPerMmolPerL = 38.67m;

    public static readonly FrozenSet<string> BloodPressurePanels = new[] { "85354-9", "55284-4" }.ToFrozenSet();
    public const string SystolicCode = "8480-6";
    public const string DiastolicCode = "8462-4";
    public const string SmokingCode = "72166-2";

    /// <summary>Questionnaire panels whose total may sit in a component instead of the value.</summary>
    public static readonly FrozenDictionary<string, string> ScorePanels = new Dictionary<string, string>
    {
        ["44249-1"] = "44261-6",
        ["69737-5"] = "70274-6",
    }.ToFrozenDictionary();

    private static Func<decimal, decimal> Same => x => x;

    private static FrozenDictionary<string, Func<decimal, decimal>> U(params (string Code, Func<decimal, decimal> Convert)[] units) =>
        units.ToFrozenDictionary(u => u.Code, u => u.Convert);

    private static readonly FeatureDefinition Systolic = new(FeatureNames.SystolicBp, "mm[Hg]", 60, 260, U(("mm[Hg]", Same)));
    private static readonly FeatureDefinition Diastolic = new(FeatureNames.DiastolicBp, "mm[Hg]", 30, 160, U(("mm[Hg]", Same)));
    private static readonly FeatureDefinition Cholesterol = new("cholesterol", "mmol/L", 0, 0, U(("mmol/L", Same), ("mg/dL", x => x / CholesterolMgPerDlPerMmolPerL)));

    private static FeatureDefinition Score(string feature, decimal max) =>
        new(feature, "{score}", 0, max, U(("{score}", Same), ("{Score}", Same), ("1", Same)), UnitOptional: true);

    public static readonly FrozenDictionary<string, FeatureDefinition> ByCode = new Dictionary<string, FeatureDefinition>
    {
        [SystolicCode] = Systolic,
        [DiastolicCode] = Diastolic,
        ["8867-4"] = new(FeatureNames.HeartRate, "/min", 25, 250, U(("/min", Same), ("{beats}/min", Same), ("{Beats}/min", Same))),
        ["29463-7"] = Weight(),
        ["3141-9"] = Weight(),
        ["8302-2"] = new(FeatureNames.Height, "cm", 100, 250, U(("cm", Same), ("m", x => x * 100), ("[in_i]", x => x * InchesToCm))),
        ["39156-5"] = new(FeatureNames.Bmi, "kg/m2", 10, 80, U(("kg/m2", Same))),
        ["8280-0"] = Waist(),
        ["56086-2"] = Waist(),
        ["4548-4"] = HbA1c(),
        ["59261-8"] = HbA1c(),
        ["18262-6"] = Cholesterol with { Feature = FeatureNames.Ldl, Min = 0.1m, Max = 15 },
        ["13457-7"] = Cholesterol with { Feature = FeatureNames.Ldl, Min = 0.1m, Max = 15 },
        ["2093-3"] = Cholesterol with { Feature = FeatureNames.TotalCholesterol, Min = 1, Max = 20 },
        ["14647-2"] = Cholesterol with { Feature = FeatureNames.TotalCholesterol, Min = 1, Max = 20 },
        ["35200-5"] = Cholesterol with { Feature = FeatureNames.TotalCholesterol, Min = 1, Max = 20 },
        ["2085-9"] = Cholesterol with { Feature = FeatureNames.Hdl, Min = 0.1m, Max = 5 },
        ["41950-7"] = new(FeatureNames.Steps, "/d", 0, 100_000, U(("/d", Same), ("{steps}/d", Same), ("{steps}", Same))),
        ["82290-8"] = new(FeatureNames.Exercise, "min/wk", 0, 5_040, U(("min/wk", Same), ("min/(7.d)", Same))),
        ["89555-7"] = new(FeatureNames.ExerciseDaysPerWeek, "d/wk", 0, 7, U(("d/wk", Same), ("{days}/wk", Same), ("/wk", Same))),
        ["68516-4"] = new(FeatureNames.ExerciseMinutesPerDay, "min/d", 0, 720, U(("min/d", Same), ("min", Same))),
        ["44261-6"] = Score(FeatureNames.Phq9, 27),
        ["44249-1"] = Score(FeatureNames.Phq9, 27),
        ["70274-6"] = Score(FeatureNames.Gad7, 21),
        ["69737-5"] = Score(FeatureNames.Gad7, 21),
        ["93038-8"] = Score(FeatureNames.Stress, 10),
        ["75626-2"] = Score(FeatureNames.AuditC, 12),
        ["80458-3"] = new(FeatureNames.Fruit, "/d", 0, 20, U(("/d", Same), ("{servings}/d", Same), ("{serving}/d", Same)), UnitOptional: true),
        ["80460-9"] = new(FeatureNames.Vegetables, "/d", 0, 20, U(("/d", Same), ("{servings}/d", Same), ("{serving}/d", Same)), UnitOptional: true),
    }.ToFrozenDictionary();

    /// <summary>Free-text units seen in the wild, mapped to their UCUM code.</summary>
    /// <summary>
    /// Every LOINC code the service reads (features, blood-pressure and questionnaire panels, smoking), ordered: the one
    /// list behind the sync's search and the CDS Hooks prefetch, so the two never ask for different things.
    /// </summary>
    public static readonly IReadOnlyList<string> SearchCodes = [.. ByCode.Keys.Concat(BloodPressurePanels).Concat(ScorePanels.Keys)
        .Append(SmokingCode).Distinct().Order(StringComparer.Ordinal)];

    /// <summary><see cref="SearchCodes"/> as one OR-ed FHIR <c>code</c> parameter value (<c>system|code,…</c>).</summary>
    public static string CodeParameter { get; } = string.Join(",", SearchCodes.Select(c => $"{Loinc}|{c}"));

    public static readonly FrozenDictionary<string, string> UnitAliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["mmHg"] = "mm[Hg]", ["lb"] = "[lb_av]", ["lbs"] = "[lb_av]", ["in"] = "[in_i]", ["inch"] = "[in_i]",
        ["beats/minute"] = "/min", ["bpm"] = "/min", ["steps/day"] = "/d", ["mg/dl"] = "mg/dL", ["mmol/l"] = "mmol/L",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static FeatureDefinition Weight() =>
        new(FeatureNames.Weight, "kg", 20, 350, U(("kg", Same), ("g", x => x / 1000), ("[lb_av]", x => x * PoundsToKg)));

    private static FeatureDefinition Waist() =>
        new(FeatureNames.Waist, "cm", 40, 200, U(("cm", Same), ("m", x => x * 100), ("[in_i]", x => x * InchesToCm)));

    private static FeatureDefinition HbA1c() =>
        new(FeatureNames.HbA1c, "%", 3, 20, U(("%", Same), ("mmol/mol", x => x * 0.09148m + 2.152m)));

    /// <summary>SNOMED smoking-status answers (US Core value set) mapped to a category.</summary>
    public static readonly FrozenDictionary<string, string> SmokingCategories = new Dictionary<string, string>
    {
        ["449868002"] = SmokingCategory.CurrentEveryDay,
        ["428041000124106"] = SmokingCategory.CurrentSomeDays,
        ["77176002"] = SmokingCategory.Current,
        ["428071000124103"] = SmokingCategory.CurrentHeavy,
        ["428061000124105"] = SmokingCategory.CurrentLight,
        ["8517006"] = SmokingCategory.Former,
        ["266919005"] = SmokingCategory.Never,
        ["266927001"] = SmokingCategory.Unknown,
    }.ToFrozenDictionary();
}
