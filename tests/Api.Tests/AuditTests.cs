using System.Net;
using System.Net.Http.Json;
using Benefit.Api.Audit;
using Benefit.Api.Data;
using Benefit.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Benefit.Api.Tests;

public abstract class AuditTests(AppFixture fixture)
{
    [Fact]
    public async Task Reads_writes_and_refusals_of_a_patients_data_are_all_audited()
    {
        const string id = "demo-patient-11";
        var from = fixture.App.Clock.GetUtcNow().UtcDateTime;
        await fixture.App.ClientFor(Caller.PatientSelf(id)).GetAsync($"/patients/{id}/consent");
        await fixture.App.ClientFor(Caller.PatientSelf(id)).PutAsJsonAsync($"/patients/{id}/consent", new { personalisation = true, training = true });
        await fixture.App.ClientFor(Caller.Clinician2).GetAsync($"/patients/{id}");

        var page = await (await fixture.App.ClientFor(Caller.Admin).GetAsync($"/audit?patient={id}&from={from:O}")).JsonAsync();
        var entries = page.GetProperty("items").EnumerateArray()
            .Select(e => (Action: e.GetProperty("action").GetString(), Outcome: e.GetProperty("outcome").GetString(),
                Subject: e.GetProperty("subject").GetString(), Role: e.GetProperty("role").GetString()))
            .ToList();

        Assert.Contains(("consent.read", "allowed", $"user-{id}", "patient"), entries);
        Assert.Contains(("consent.write", "allowed", $"user-{id}", "patient"), entries);
        Assert.Contains(("patient.read", "denied", "demo-clinician-2", "clinician"), entries);
    }

    [Fact]
    public async Task Awards_and_replays_are_audited_with_their_writes_and_refusals_by_the_endpoint()
    {
        const string id = "demo-patient-15";
        var from = fixture.App.Clock.GetUtcNow().UtcDateTime;
        var provider = fixture.App.ClientFor(Caller.ProviderGym);
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Report(string eventId) => new(HttpMethod.Post, "/activities")
        {
            Content = JsonContent.Create(new { patientId = id, activityType = "exercise-session", occurredAt = fixture.App.Clock.GetUtcNow().AddHours(-1), externalEventId = eventId }),
            Headers = { { "Idempotency-Key", key } },
        };

        Assert.Equal(HttpStatusCode.OK, (await provider.SendAsync(Report("audit-evt-1"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await provider.SendAsync(Report("audit-evt-1"))).StatusCode); // a replay: the single-award path
        await (await provider.SendAsync(Report("audit-evt-2"))).ProblemAsync(422);

        var page = await (await fixture.App.ClientFor(Caller.Admin).GetAsync($"/audit?patient={id}&from={from:O}")).JsonAsync();
        var entries = page.GetProperty("items").EnumerateArray()
            .Select(e => (Action: e.GetProperty("action").GetString(), Outcome: e.GetProperty("outcome").GetString(),
                Subject: e.GetProperty("subject").GetString(), Role: e.GetProperty("role").GetString()))
            .ToList();
        Assert.Equal(2, entries.Count(e => e == ("points.award", "allowed", "gym-1", "provider")));
        Assert.Contains(("points.award", "failed:422", "gym-1", "provider"), entries);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    [InlineData("POST")]
    public async Task No_route_changes_or_deletes_the_audit_trail(string method)
    {
        var response = await fixture.App.ClientFor(Caller.Admin).SendAsync(new HttpRequestMessage(new HttpMethod(method), "/audit"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task The_database_layer_refuses_to_edit_or_delete_an_audit_entry()
    {
        await fixture.App.ClientFor(Caller.Clinician1).GetAsync("/patients/demo-patient-12");
        using var scope = fixture.App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BenefitDb>();
        var entry = await db.AuditEntries.OrderByDescending(a => a.Id).FirstAsync();

        db.Entry(entry).Property(nameof(AuditEntry.Outcome)).CurrentValue = "allowed-after-all";
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        db.AuditEntries.Remove(entry);
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }
}

public sealed class AuditTestsOnSqlite(SqliteApp fixture) : AuditTests(fixture), IClassFixture<SqliteApp>;

public sealed class AuditTestsOnPostgres(PostgresApp fixture) : AuditTests(fixture), IClassFixture<PostgresApp>;
