namespace Benefit.Fhir.Features;

/// <summary>Smoking categories; every "current-*" value is a current smoker.</summary>
public static class SmokingCategory
{
    public const string CurrentEveryDay = "current-every-day";
    public const string CurrentSomeDays = "current-some-days";
    public const string Current = "current";
    public const string CurrentHeavy = "current-heavy";
    public const string CurrentLight = "current-light";
    public const string Former = "former";
    public const string Never = "never";
    public const string Unknown = "unknown";

    public static bool IsCurrent(string? category) => category?.StartsWith(Current, StringComparison.Ordinal) == true;
}

/// <summary>Published severity bands of the questionnaire totals.</summary>
public static class SeverityBands
{
    /// <summary>PHQ-9 (Kroenke 2001): 0–4 minimal, 5–9 mild, 10–14 moderate, 15–19 moderately severe, 20–27 severe.</summary>
    public static string Phq9(decimal total) => total switch
    {
        < 5 => "minimal",
        < 10 => "mild",
        < 15 => "moderate",
        < 20 => "moderately-severe",
        _ => "severe",
    };

    /// <summary>GAD-7 (Spitzer 2006): 0–4 minimal, 5–9 mild, 10–14 moderate, 15–21 severe.</summary>
    public static string Gad7(decimal total) => total switch
    {
        < 5 => "minimal",
        < 10 => "mild",
        < 15 => "moderate",
        _ => "severe",
    };
}
