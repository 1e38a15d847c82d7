using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Benefit.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Benefit.Api.Tests.CdsHooks;

/// <summary>Without prefetch the service reads the EHR's FHIR server with the hook's token, but only a server it was configured to trust.</summary>
public sealed class CdsFhirServerTests : IAsyncLifetime
{
    private const string EhrToken = "ehr-issued-token";
    private WebApplication _ehr = null!;
    private string _ehrUrl = "";
    private readonly List<string> _ehrRequests = [];

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _ehr = builder.Build();
        _ehr.Use(async (http, next) =>
        {
            lock (_ehrRequests) _ehrRequests.Add($"{http.Request.Path}{http.Request.QueryString}");
            if (http.Request.Headers.Authorization != $"Bearer {EhrToken}")
                http.Response.StatusCode = 401;
            else
                await next(http);
        });
        _ehr.MapGet("/fhir/Patient/{id}", (string id) => Results.Text(JsonSerializer.Serialize(new { resourceType = "Patient", id }), "application/fhir+json"));
        _ehr.MapGet("/fhir/Observation", () => Results.Text(JsonSerializer.Serialize(new
        {
            resourceType = "Bundle", type = "searchset",
            entry = new[] { new { fullUrl = "Observation/ehr-bp-1", resource = CdsHooksContractTests.BloodPressure("ehr-bp-1", 181, 107, "2026-11-02") } },
        }), "application/fhir+json"));
        await _ehr.StartAsync();
        _ehrUrl = $"{_ehr.Urls.First()}/fhir";
    }

    public async Task DisposeAsync() => await _ehr.DisposeAsync();

    private object Hook(string patientId) => new
    {
        hook = "patient-view", hookInstance = Guid.NewGuid().ToString(), fhirServer = _ehrUrl,
        fhirAuthorization = new { access_token = EhrToken, token_type = "Bearer", expires_in = 300, scope = "patient/Observation.read", subject = "benefit" },
        context = new { userId = "Practitioner/demo-clinician-1", patientId },
    };

    private static async Task<string> CardTextAsync(BenefitApplication app, object hook)
    {
        var response = await app.ClientFor(Caller.Clinician1).PostAsJsonAsync("/cds-services/benefit-lifestyle", hook);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cards = (await response.JsonAsync()).GetProperty("cards").EnumerateArray().ToList();
        Assert.NotEmpty(cards);
        return string.Join("\n", cards.Select(c => c.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Without_prefetch_the_observations_are_read_from_a_trusted_fhirServer_with_the_hooks_token()
    {
        await using var app = new BenefitApplication(DatabaseKind.Sqlite, settings: new Dictionary<string, string?> { ["CdsHooks:AllowedFhirServers:0"] = _ehrUrl });

        var text = await CardTextAsync(app, Hook("demo-patient-10"));

        Assert.Contains("181/107", text);
        Assert.Contains(_ehrRequests, r => r.StartsWith("/fhir/Observation?", StringComparison.Ordinal) && r.Contains("demo-patient-10", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_fhirServer_that_is_not_trusted_is_never_called_and_the_stored_snapshot_is_used()
    {
        await using var app = new BenefitApplication(DatabaseKind.Sqlite);

        var text = await CardTextAsync(app, Hook("demo-patient-10"));

        Assert.DoesNotContain("181/107", text);
        Assert.Empty(_ehrRequests);
    }
}
