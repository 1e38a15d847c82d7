using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Benefit.Api.Tests.Infrastructure;

namespace Benefit.Api.Tests.Security;

/// <summary>Every refusal and every read leaves an entry, and each entry says why, from where and under which trace.</summary>
public abstract class AuditTrailTests(AppFixture fixture)
{
    [Fact]
    public async Task A_request_without_a_token_and_a_refusal_by_role_are_audited_against_the_patient()
    {
        const string id = "demo-patient-08";
        var from = fixture.App.Clock.GetUtcNow().UtcDateTime;

        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.App.Anonymous().GetAsync($"/patients/{id}/observations")).StatusCode);
        await (await fixture.App.ClientFor(Caller.ProviderGym).GetAsync($"/patients/{id}/review")).ProblemAsync(403);

        var entries = await AuditAsync(id, from);
        Assert.Contains(entries, e => e.Outcome == "unauthenticated" && e.Action == "GET /patients/{id}/observations" && e.Role == "none");
        Assert.Contains(entries, e => e.Outcome == "denied" && e.Action == "GET /patients/{id}/review" && e.Subject == "gym-1");
    }

    [Fact]
    public async Task Each_entry_carries_purpose_trace_id_and_client_address_and_the_refusal_shares_its_problems_trace_id()
    {
        const string id = "demo-patient-09";
        var from = fixture.App.Clock.GetUtcNow().UtcDateTime;
        await fixture.App.ClientFor(Caller.PatientSelf(id)).GetAsync($"/patients/{id}/consent");
        await fixture.App.ClientFor(Caller.Clinician1).GetAsync($"/patients/{id}/observations");
        var problem = await (await fixture.App.ClientFor(Caller.Clinician2).GetAsync($"/patients/{id}")).ProblemAsync(403);

        var entries = await AuditAsync(id, from);
        Assert.Contains(entries, e => e.Action == "consent.read" && e.Purpose == "self-service");
        Assert.Contains(entries, e => e.Action == "observations.read" && e.Purpose == "treatment");
        var denied = Assert.Single(entries, e => e.Action == "patient.read" && e.Outcome == "denied");
        Assert.Equal(problem.GetProperty("traceId").GetString(), denied.TraceId);
        Assert.All(entries, e => Assert.False(string.IsNullOrEmpty(e.TraceId)));
        // The in-process test server has no client address; over Kestrel it is the caller's (see docs/security.md).
    }

    [Fact]
    public async Task Caseload_reads_and_reads_of_the_audit_trail_itself_are_audited()
    {
        var from = fixture.App.Clock.GetUtcNow().UtcDateTime;
        await fixture.App.ClientFor(Caller.Clinician1).GetAsync("/clinicians/me/patients?pageSize=3");
        await fixture.App.ClientFor(Caller.Admin).GetAsync("/audit?patient=demo-patient-10");

        var page = await (await fixture.App.ClientFor(Caller.Admin).GetAsync($"/audit?from={from:O}&pageSize=500")).JsonAsync();
        var entries = page.GetProperty("items").EnumerateArray().Select(Entry.From).ToList();
        var caseload = Assert.Single(entries, e => e.Action == "caseload.read" && e.Subject == "demo-clinician-1");
        Assert.Contains("demo-patient-01", caseload.Detail);
        Assert.Contains(entries, e => e.Action == "audit.read" && e.PatientId == "demo-patient-10" && e.Purpose == "support");
    }

    [Fact]
    public async Task An_admin_sees_enrolment_and_support_data_but_no_conditions_and_no_activity_details()
    {
        const string id = "demo-patient-13";
        var clinician = fixture.App.ClientFor(Caller.Clinician1);
        Assert.Equal(HttpStatusCode.OK, (await clinician.PutAsJsonAsync($"/patients/{id}/conditions", new { conditions = new[] { "Pregnancy" } })).StatusCode);
        var award = new HttpRequestMessage(HttpMethod.Post, "/activities")
        {
            Content = JsonContent.Create(new { patientId = id, activityType = "exercise-session", occurredAt = fixture.App.Clock.GetUtcNow().AddHours(-2), externalEventId = "support-view-1" }),
            Headers = { { "Idempotency-Key", Guid.NewGuid().ToString() } },
        };
        Assert.Equal(HttpStatusCode.OK, (await fixture.App.ClientFor(Caller.ProviderGym).SendAsync(award)).StatusCode);
        var admin = fixture.App.ClientFor(Caller.Admin);

        var asAdmin = await (await admin.GetAsync($"/patients/{id}")).JsonAsync();
        var asTeam = await (await clinician.GetAsync($"/patients/{id}")).JsonAsync();
        var pointsAsAdmin = await (await admin.GetAsync($"/patients/{id}/points")).JsonAsync();
        var pointsAsTeam = await (await clinician.GetAsync($"/patients/{id}/points")).JsonAsync();

        Assert.Equal(JsonValueKind.Null, asAdmin.GetProperty("knownConditions").ValueKind);
        Assert.Contains("Pregnancy", asTeam.GetProperty("knownConditions").EnumerateArray().Select(c => c.GetString()));
        var adminEntry = pointsAsAdmin.GetProperty("history").GetProperty("items")[0];
        var teamEntry = pointsAsTeam.GetProperty("history").GetProperty("items")[0];
        Assert.Equal(teamEntry.GetProperty("points").GetInt32(), adminEntry.GetProperty("points").GetInt32());
        Assert.Equal(JsonValueKind.Null, adminEntry.GetProperty("activityType").ValueKind);
        Assert.Equal(JsonValueKind.Null, adminEntry.GetProperty("provider").ValueKind);
        Assert.Equal("exercise-session", teamEntry.GetProperty("activityType").GetString());
        // The award's own entry, written in the award's transaction, carries the same context as every other entry.
        var awardEntry = Assert.Single(await AuditAsync(id, DateTime.MinValue), e => e.Action == "points.award");
        Assert.Equal("service-delivery", awardEntry.Purpose);
        Assert.False(string.IsNullOrEmpty(awardEntry.TraceId));
    }

    private async Task<List<Entry>> AuditAsync(string patient, DateTime from)
    {
        var page = await (await fixture.App.ClientFor(Caller.Admin).GetAsync($"/audit?patient={patient}&from={from:O}&pageSize=500")).JsonAsync();
        return [.. page.GetProperty("items").EnumerateArray().Select(Entry.From)];
    }

    private sealed record Entry(string? Action, string? Outcome, string? Subject, string? Role, string? PatientId, string? Purpose,
        string? TraceId, string? ClientAddress, string? Detail)
    {
        public static Entry From(JsonElement e) => new(S(e, "action"), S(e, "outcome"), S(e, "subject"), S(e, "role"), S(e, "patientId"),
            S(e, "purpose"), S(e, "traceId"), S(e, "clientAddress"), S(e, "detail"));

        private static string? S(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }
}

public sealed class AuditTrailTestsOnSqlite(SqliteApp fixture) : AuditTrailTests(fixture), IClassFixture<SqliteApp>;

public sealed class AuditTrailTestsOnPostgres(PostgresApp fixture) : AuditTrailTests(fixture), IClassFixture<PostgresApp>;
