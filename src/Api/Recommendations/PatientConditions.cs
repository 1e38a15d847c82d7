using Benefit.Recommender.Catalog;

namespace Benefit.Api.Recommendations;

/// <summary>Known conditions as stored on the patient row: comma-separated contraindication names.</summary>
public static class PatientConditions
{
    public static IReadOnlySet<Contraindication> Parse(string? stored) =>
        (stored ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => Enum.TryParse<Contraindication>(c, out var v) ? v : (Contraindication?)null)
            .OfType<Contraindication>().ToHashSet();

    public static string? Format(IEnumerable<Contraindication> conditions) =>
        string.Join(",", conditions.Distinct().Order()) is { Length: > 0 } s ? s : null;
}
