using System.Text.Json.Nodes;

namespace Benefit.Api.Models;

/// <summary>
/// A metric over a handful of patients can single one out; a data scientist sees aggregates only. Every subgroup in a
/// stored model card whose metrics count fewer patients than the minimum (the report's, <c>ReportWriter.MinimumGroupSize</c>)
/// has its metrics replaced by "suppressed".
/// </summary>
public static class SmallGroupSuppression
{
    public static JsonNode Apply(JsonNode card, int minimumPatients)
    {
        foreach (var ranker in card["metrics"]?.AsArray() ?? [])
        foreach (var subgroup in ranker?["subgroups"]?.AsArray() ?? [])
        {
            if (subgroup?["metrics"]?["patients"]?.GetValue<int>() is { } patients && patients < minimumPatients)
                subgroup["metrics"] = $"suppressed: fewer than {minimumPatients} patients";
        }
        return card;
    }
}
