namespace Benefit.Fhir.Features;

/// <summary>Stable keys of the features in a <see cref="FeatureSnapshot"/>; the recommender reads them by name.</summary>
public static class FeatureNames
{
    public const string SystolicBp = "systolic-bp";
    public const string DiastolicBp = "diastolic-bp";
    public const string HeartRate = "resting-heart-rate";
    public const string Weight = "body-weight";
    public const string Height = "body-height";
    public const string Bmi = "bmi";
    public const string Waist = "waist-circumference";
    public const string HbA1c = "hba1c";
    public const string Ldl = "ldl-cholesterol";
    public const string TotalCholesterol = "total-cholesterol";
    public const string Hdl = "hdl-cholesterol";
    public const string Smoking = "smoking-status";
    public const string Steps = "steps";
    public const string Exercise = "exercise";
    public const string Phq9 = "phq9";
    public const string Gad7 = "gad7";
    public const string Stress = "stress";
    public const string AuditC = "audit-c";
    public const string Fruit = "fruit";
    public const string Vegetables = "vegetables";

    // Parts of the exercise product (days a week × minutes a day); not features on their own.
    internal const string ExerciseDaysPerWeek = "exercise-days-per-week";
    internal const string ExerciseMinutesPerDay = "exercise-minutes-per-day";

    /// <summary>Features that get a 90-day trend.</summary>
    public static readonly IReadOnlyList<string> Trended = [SystolicBp, DiastolicBp, Weight, Steps];
}
