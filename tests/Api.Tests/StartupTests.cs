using System.Net;
using System.Net.Http.Json;
using Benefit.Api.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Benefit.Api.Tests;

public abstract class StartupTests(DatabaseKind kind)
{
    [Fact]
    public async Task First_start_creates_the_schema_and_seeds_the_demo_care_teams()
    {
        await using var app = new BenefitApplication(kind);

        var one = await (await app.ClientFor(Caller.Clinician1).GetAsync("/clinicians/me/patients?pageSize=100")).JsonAsync();
        var two = await (await app.ClientFor(Caller.Clinician2).GetAsync("/clinicians/me/patients?pageSize=100")).JsonAsync();

        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"demo-patient-{i:00}"),
            one.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Equal(Enumerable.Range(21, 20).Select(i => $"demo-patient-{i:00}"),
            two.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Starting_again_on_an_existing_database_keeps_its_data()
    {
        string connectionString;
        await using (var first = new BenefitApplication(kind))
        {
            connectionString = first.ConnectionString;
            var response = await first.ClientFor(Caller.PatientSelf("demo-patient-02"))
                .PutAsJsonAsync("/patients/demo-patient-02/consent", new { personalisation = false, training = false });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await using var second = new BenefitApplication(kind, connectionString);
        var consent = await (await second.ClientFor(Caller.PatientSelf("demo-patient-02")).GetAsync("/patients/demo-patient-02/consent")).JsonAsync();
        Assert.False(consent.GetProperty("personalisation").GetBoolean());
        Assert.Single(consent.GetProperty("history").EnumerateArray(), h => h.GetProperty("flag").GetString() == "training");
        var all = await (await second.ClientFor(Caller.Clinician1).GetAsync("/clinicians/me/patients")).JsonAsync();
        Assert.Equal(20, all.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Health_endpoints_report_live_and_ready_with_the_database_checked()
    {
        await using var app = new BenefitApplication(kind);
        var client = app.ClientFor(Caller.Admin);
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var checks = (await ready.JsonAsync()).GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("model").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("fhir-source").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Anonymous_callers_learn_only_whether_the_service_is_ready()
    {
        await using var app = new BenefitApplication(kind);
        var body = await (await app.Anonymous().GetAsync("/health/ready")).JsonAsync();
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.False(body.TryGetProperty("checks", out _), body.ToString());
        var asPatient = await (await app.ClientFor(Caller.PatientSelf("demo-patient-01")).GetAsync("/health/ready")).JsonAsync();
        Assert.False(asPatient.TryGetProperty("checks", out _), asPatient.ToString());
    }

    [Fact]
    public async Task Ready_is_unhealthy_when_the_configured_FHIR_server_does_not_answer()
    {
        await using var app = new BenefitApplication(kind, settings: new Dictionary<string, string?>
        {
            ["Fhir:BaseUrl"] = "http://127.0.0.1:9/fhir", ["Fhir:MaxRetries"] = "0", ["Demo:Seed"] = "false",
        });
        var ready = await app.ClientFor(Caller.DataScientist).GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", (await ready.JsonAsync()).GetProperty("checks").GetProperty("fhir-source").GetProperty("status").GetString());
    }
}

public sealed class StartupTestsOnSqlite() : StartupTests(DatabaseKind.Sqlite);

public sealed class StartupTestsOnPostgres() : StartupTests(DatabaseKind.Postgres);

public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("Database:Provider", "oracle", "Database:Provider")]
    [InlineData("RateLimits:WindowSeconds", "0", "WindowSeconds")]
    [InlineData("ConnectionStrings:Benefit", "", "ConnectionStrings:Benefit")]
    public void A_bad_setting_stops_start_up_with_a_message_naming_the_key(string key, string value, string named)
    {
        using var app = new BenefitApplication(DatabaseKind.Sqlite, settings: new Dictionary<string, string?> { [key] = value });
        var error = Assert.ThrowsAny<Exception>(() => app.Server);
        var messages = string.Join(" | ", Flatten(error).Select(e => e.Message));
        Assert.Contains(named, messages);
    }

    [Fact]
    public void A_provider_interventions_file_naming_an_intervention_not_in_the_catalogue_stops_start_up()
    {
        var file = Path.Combine(Path.GetTempPath(), $"provider-interventions-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """{ "providers": [ { "id": "fitlife-gym", "name": "Gym", "interventions": ["pa-underwater-rugby"] } ] }""");
        try
        {
            using var app = new BenefitApplication(DatabaseKind.Sqlite, settings: new Dictionary<string, string?> { ["ProviderInterventions:Path"] = file });
            var error = Assert.ThrowsAny<Exception>(() => app.Server);
            Assert.Contains("pa-underwater-rugby", string.Join(" | ", Flatten(error).Select(e => e.Message)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            yield return x;
            if (x is AggregateException agg)
                foreach (var inner in agg.InnerExceptions.SelectMany(Flatten))
                    yield return inner;
        }
    }
}
