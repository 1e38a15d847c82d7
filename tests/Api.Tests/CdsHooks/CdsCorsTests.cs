using System.Net;
using Benefit.Api.Tests.Infrastructure;

namespace Benefit.Api.Tests.CdsHooks;

public sealed class CdsCorsTests(SqliteApp fixture) : IClassFixture<SqliteApp>
{
    private const string Ehr = "https://ehr.example";

    private static HttpRequestMessage Preflight(string path) => new(HttpMethod.Options, path)
    {
        Headers =
        {
            { "Origin", Ehr },
            { "Access-Control-Request-Method", "POST" },
            { "Access-Control-Request-Headers", "authorization,content-type" },
        },
    };

    [Fact]
    public async Task A_configured_browser_based_ehr_may_call_the_cds_services_across_origins()
    {
        await using var app = new BenefitApplication(DatabaseKind.Sqlite, settings: new Dictionary<string, string?> { ["CdsHooks:AllowedOrigins:0"] = Ehr });

        var response = await app.Anonymous().SendAsync(Preflight("/cds-services/benefit-lifestyle"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(Ehr, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Fact]
    public async Task Without_configured_origins_and_outside_cds_hooks_no_cross_origin_access_is_granted()
    {
        var cds = await fixture.App.Anonymous().SendAsync(Preflight("/cds-services/benefit-lifestyle"));
        var review = await fixture.App.Anonymous().SendAsync(Preflight("/patients/demo-patient-01/review-decisions"));

        Assert.False(cds.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(review.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
