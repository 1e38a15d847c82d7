using Benefit.Recommender.Catalog;

namespace Benefit.Recommender.Tests.Catalog;

public sealed class InterventionCatalogTests
{
    private static readonly InterventionCatalog Catalog = InterventionCatalog.Load(TestData.InterventionsPath);

    [Fact]
    public void The_shipped_catalogue_loads_with_at_least_forty_interventions()
    {
        Assert.True(Catalog.Items.Count >= 40, $"only {Catalog.Items.Count} interventions");
    }

    [Fact]
    public void Every_category_has_at_least_two_interventions()
    {
        foreach (var category in Enum.GetValues<InterventionCategory>())
            Assert.True(Catalog.Items.Count(i => i.Category == category) >= 2, $"{category} is thin");
    }

    [Fact]
    public void Every_intervention_is_complete_and_plausible()
    {
        Assert.All(Catalog.Items, i =>
        {
            Assert.False(string.IsNullOrWhiteSpace(i.Name));
            Assert.False(string.IsNullOrWhiteSpace(i.Evidence));
            Assert.NotEmpty(i.Targets);
            Assert.NotEmpty(i.Languages);
            Assert.InRange(i.CostEuroCents, 0, 100_000);
            Assert.InRange(i.Intensity.PlannedSessions, 1, 400);
        });
    }

    [Fact]
    public void Many_interventions_are_free_or_reimbursed()
    {
        Assert.True(Catalog.Items.Count(i => i.CostEuroCents == 0) >= Catalog.Items.Count / 2);
    }

    [Fact]
    public void Lookup_by_id_finds_an_intervention_and_returns_null_for_an_unknown_one()
    {
        Assert.Equal("Thuis bloeddruk meten", Catalog.Find("bp-home-monitoring")?.Name);
        Assert.Null(Catalog.Find("no-such-intervention"));
    }
}
