using Benefit.Api.Points;
using Benefit.Recommender.Catalog;

namespace Benefit.Api.Tests;

/// <summary>The shipped table of which provider delivers which intervention (data/provider-interventions.json).</summary>
public sealed class ProviderInterventionsTests
{
    private static readonly InterventionCatalog Catalog = InterventionCatalog.Load(DataFile("interventions.json"));
    private static readonly ProviderInterventions Shipped = ProviderInterventions.Load(DataFile("provider-interventions.json"), Catalog);

    [Fact]
    public void Every_intervention_in_the_catalogue_has_a_provider_that_delivers_it() =>
        Assert.All(Catalog.Items, i => Assert.Contains(Shipped.Providers, p => p.Interventions.Contains(i.Id)));

    [Fact]
    public void The_partner_app_delivers_every_app_and_unguided_intervention() =>
        Assert.All(Catalog.Items.Where(i => i.Format.Delivery == Delivery.App || i.Format.Guidance == Guidance.Unguided),
            i => Assert.True(Shipped.Delivers("benefit-app", i.Id), i.Id));

    [Fact]
    public void The_test_gym_delivers_physical_activity_only() =>
        Assert.All(Shipped.Providers.Single(p => p.Id == "fitlife-gym").Interventions,
            id => Assert.Equal(InterventionCategory.PhysicalActivity, Catalog.Find(id)!.Category));

    [Fact]
    public void A_file_naming_an_intervention_not_in_the_catalogue_is_refused_naming_it()
    {
        var file = Path.Combine(Path.GetTempPath(), $"provider-interventions-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """{ "providers": [ { "id": "gym", "name": "Gym", "interventions": ["pa-nordic-walking", "pa-underwater-rugby"] } ] }""");
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => ProviderInterventions.Load(file, Catalog));
            Assert.Contains("'pa-underwater-rugby' (gym)", error.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);
}
