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
