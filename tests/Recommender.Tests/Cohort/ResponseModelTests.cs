using System.Text.Json.Nodes;
using Benefit.Recommender.Catalog;
using Benefit.Recommender.Cohort;

namespace Benefit.Recommender.Tests.Cohort;

public sealed class ResponseModelTests
{
    private static string ShippedFile => Path.Combine(TestData.RepoRoot, "data", "response-model.json");

    /// <summary>Probabilities computed with the hard-coded model before its coefficients moved to data/response-model.json.</summary>
    [Theory]
    [InlineData(0, "pa-walking-group", 0.2368617517780246)] // mid, 75, female
    [InlineData(0, "wt-online-coach", 0.062011629652247505)]
    [InlineData(0, "al-gp-brief-intervention", 0.3787515682309574)]
    [InlineData(1, "pa-walking-group", 0.07227540839647972)] // low, 56, male
    [InlineData(1, "pa-aqua-fitness", 0.005220742733875116)]
    [InlineData(123, "pa-aqua-fitness", 0.8810978543183636)] // mid, 45, female
    [InlineData(999, "pa-walking-group", 0.936318128310361)] // high, 71, female
    [InlineData(999, "wt-online-coach", 0.040455229956819765)]
    public void The_shipped_file_gives_exactly_the_probabilities_of_the_hard_coded_model(int n, string interventionId, double expected)
    {
        var catalog = InterventionCatalog.Load(TestData.InterventionsPath);
        var patient = new CohortGenerator(catalog, new CohortOptions { Seed = 42 }).Patient(n, 1).Patient;
        var context = patient.ContextAt(new CohortOptions().AsOf);
        var item = catalog.Find(interventionId)!;

        Assert.Equal(expected, new ResponseModel(42).KeepUpProbability(patient, context, item));
        Assert.Equal(expected, new ResponseModel(ResponseModelCoefficients.Load(ShippedFile), 42).KeepUpProbability(patient, context, item));
    }

    [Fact]
    public void The_shipped_file_holds_the_built_in_defaults() =>
        Assert.Equal(ResponseModelCoefficients.Default, ResponseModelCoefficients.Load(ShippedFile));

    [Theory]
    [InlineData("intercept", "$.intercept")]
    [InlineData("ses.low.paid", "$.ses.low.paid")]
    [InlineData("outcomes.declinedShare", "$.outcomes.declinedShare")]
    public void A_file_without_a_coefficient_is_refused_naming_it(string path, string named)
    {
        var json = JsonNode.Parse(File.ReadAllText(ShippedFile))!;
        var parts = path.Split('.');
        var parent = parts[..^1].Aggregate(json, (node, part) => node[part]!);
        parent.AsObject().Remove(parts[^1]);

        var error = Assert.Throws<InvalidDataException>(() => ResponseModelCoefficients.Parse(json.ToJsonString(), "population.json"));
        Assert.Contains(named, error.Message);
        Assert.Contains("missing", error.Message);
    }

    [Fact]
    public void A_file_with_a_non_numeric_coefficient_is_refused_naming_it()
    {
        var json = JsonNode.Parse(File.ReadAllText(ShippedFile))!;
        json["preferences"]!["overMaxCost"] = "-1.8";

        var error = Assert.Throws<InvalidDataException>(() => ResponseModelCoefficients.Parse(json.ToJsonString(), "population.json"));
        Assert.Contains("$.preferences.overMaxCost is not a number", error.Message);
    }

    [Fact]
    public void A_different_population_changes_the_probabilities()
    {
        var catalog = InterventionCatalog.Load(TestData.InterventionsPath);
        var patient = new CohortGenerator(catalog, new CohortOptions { Seed = 42 }).Patient(1, 1).Patient;
        var context = patient.ContextAt(new CohortOptions().AsOf);
        var item = catalog.Find("pa-walking-group")!;
        var kinder = ResponseModelCoefficients.Default with { Intercept = 0 };

        Assert.True(new ResponseModel(kinder, 42).KeepUpProbability(patient, context, item)
            > new ResponseModel(42).KeepUpProbability(patient, context, item));
    }
}
