using System.ComponentModel.DataAnnotations;
using Benefit.Api.Extensions;
using Benefit.Loyalty;
using Benefit.Recommender.Catalog;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Benefit.Api.Catalog;

public static class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("").WithTags("Catalogues").RequireAuthorization();

        api.MapGet("/interventions", ListInterventions)
            .WithName(nameof(ListInterventions))
            .WithSummary("Lifestyle interventions, filtered by category, format or target, paged");
        api.MapGet("/interventions/{id}", GetIntervention)
            .WithName(nameof(GetIntervention))
            .WithSummary("One intervention");
        api.MapGet("/rewards", ListRewards)
            .WithName(nameof(ListRewards))
            .WithSummary("Rewards that points can be redeemed for, with their point cost and current stock");
        return app;
    }

    public static Results<Ok<Page<Intervention>>, ValidationProblem> ListInterventions(
        InterventionCatalog catalog, InterventionCategory? category = null, string? format = null, RiskTarget? target = null,
        [Range(1, 1000)] int page = 1, [Range(1, 100)] int pageSize = 20)
    {
        IEnumerable<Intervention> items = catalog.Items;
        if (category is not null) items = items.Where(i => i.Category == category);
        if (target is not null) items = items.Where(i => i.Targets.Contains(target.Value));
        if (format is not null)
        {
            if (!FormatFilters.TryGetValue(format, out var matches))
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["format"] = [$"Unknown format '{format}'. Use one of: {string.Join(", ", FormatFilters.Keys)}."],
                });
            items = items.Where(i => matches(i.Format));
        }
        var list = items.ToList();
        return TypedResults.Ok(new Page<Intervention>(list.Skip((page - 1) * pageSize).Take(pageSize).ToList(), page, pageSize, list.Count));
    }

    public static Results<Ok<Intervention>, ProblemHttpResult> GetIntervention(string id, InterventionCatalog catalog) =>
        catalog.Find(id) is { } found
            ? TypedResults.Ok(found)
            : TypedResults.Problem(statusCode: 404, title: "Intervention not found", detail: $"No intervention '{id}'.");

    public static async Task<Ok<IReadOnlyList<RewardOffer>>> ListRewards(PointsLedger ledger, CancellationToken ct) =>
        TypedResults.Ok(await ledger.GetRewardsAsync(ct));

    private static readonly Dictionary<string, Func<InterventionFormat, bool>> FormatFilters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["guided"] = f => f.Guidance == Guidance.Guided,
        ["unguided"] = f => f.Guidance == Guidance.Unguided,
        ["online"] = f => f.Delivery == Delivery.Online,
        ["in-person"] = f => f.Delivery == Delivery.InPerson,
        ["app"] = f => f.Delivery == Delivery.App,
        ["group"] = f => f.Setting == Setting.Group,
        ["individual"] = f => f.Setting == Setting.Individual,
    };
}
