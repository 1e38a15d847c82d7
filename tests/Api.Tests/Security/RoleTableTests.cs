using System.Net;
using System.Net.Http.Json;
using Benefit.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Benefit.Api.Tests.Security;

/// <summary>Every route × every role, as docs/security.md's role table says; and every mapped route has a row there.</summary>
public abstract class RoleTableTests(AppFixture fixture)
{
    private const string Patient = "demo-patient-03";      // care team of demo-clinician-1
    private const string OtherPatient = "demo-patient-27"; // care team of demo-clinician-2

    public static TheoryData<RoleTableRow, string> Cells()
    {
        var data = new TheoryData<RoleTableRow, string>();
        foreach (var row in RoleTableRow.Load())
        foreach (var role in RoleTableRow.Roles)
            data.Add(row, role);
        return data;
    }

    [Fact]
    public void Every_route_the_service_maps_has_a_row_in_the_role_table_and_every_row_a_route()
    {
        var mapped = fixture.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                        // An endpoint without methods (the health checks) answers GET like any other.
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => $"{m} {Normalise(e.RoutePattern.RawText)}"))
            .Where(r => !r.StartsWith("HEAD ", StringComparison.Ordinal))
            .ToHashSet();
        var documented = RoleTableRow.Load().Select(r => r.Route).ToHashSet();

        Assert.Empty(mapped.Except(documented).Order());
        // /jobs is Hangfire's dashboard middleware, not a routed endpoint.
        Assert.Empty(documented.Except(mapped).Where(r => r != "GET /jobs").Order());
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Each_role_gets_what_the_role_table_says(RoleTableRow row, string role)
    {
        var cell = row.Cells[role];
        var allowed = RoleTableRow.Allowing.Contains(cell);
        var caller = role switch
        {
            "anonymous" => Caller.Nobody,
            "patient" => Caller.PatientSelf(Patient),
            "clinician" => Caller.Clinician1,
            "provider" => Caller.ProviderGym,
            "data-scientist" => Caller.DataScientist,
            _ => Caller.Admin,
        };

        await AssertAnswer(row, caller, allowed);
        // own and team hold for the caller's own patient only.
        if (cell == "own") await AssertAnswer(row, Caller.PatientSelf(OtherPatient), allowed: false);
        if (cell == "team") await AssertAnswer(row, Caller.Clinician2, allowed: false);
    }

    private async Task AssertAnswer(RoleTableRow row, Caller caller, bool allowed)
    {
        var response = await fixture.App.ClientFor(caller).SendAsync(Request(row));
        var status = (int)response.StatusCode;
        var said = $"{caller} on {row}: {status} {await response.Content.ReadAsStringAsync()}";
        if (allowed)
            Assert.True(status is not (401 or 403) && status < 500, said);
        else
            Assert.True(status == (caller.Role is null ? 401 : 403), said);
    }

    private HttpRequestMessage Request(RoleTableRow row)
    {
        var path = row.Template
            .Replace("/interventions/{id}", "/interventions/pa-walking-group")
            .Replace("{id}", Patient).Replace("{rid}", Guid.NewGuid().ToString()).Replace("{version}", "default")
            .Replace("{service}", "benefit-lifestyle").Replace("{file}", "app.js").Replace("{documentName}", "v1")
            .Replace("/{documentName?}", "");
        var request = new HttpRequestMessage(new HttpMethod(row.Method), path);
        if (Body(row.Route) is { } body) request.Content = JsonContent.Create(body);
        if (row.Route is "POST /patients/{id}/redemptions" or "POST /activities" or "POST /admin/reversals")
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return request;
    }

    /// <summary>A valid body, so a refusal comes from the access rules and never from validation.</summary>
    private object? Body(string route)
    {
        var unique = $"rt-{Guid.NewGuid():N}"[..20];
        return route switch
        {
            "POST /patients" => new { id = unique, fhir = new { server = "embedded", patientId = unique } },
            "PUT /patients/{id}/consent" => new { personalisation = true, training = true },
            "PUT /patients/{id}/preferences" => new { setting = "Group" },
            "POST /patients/{id}/choices" => new { interventionId = "pa-walking-group", kind = "not-now" },
            "POST /patients/{id}/review-decisions" => new { kind = "note", note = "seen" },
            "PUT /patients/{id}/conditions" => new { conditions = Array.Empty<string>() },
            "POST /patients/{id}/redemptions" => new { rewardId = "water-bottle", quantity = 1 },
            "POST /activities" => new
            {
                patientId = Patient, activityType = "exercise-session", occurredAt = fixture.App.Clock.GetUtcNow().AddHours(-1), externalEventId = unique,
            },
            "POST /admin/reversals" => new { awardEntryId = 999_999_999L, reason = "role table walk" },
            "POST /cds-services/{service}" => new
            {
                hook = "patient-view", hookInstance = unique, context = new { patientId = Patient },
            },
            "POST /cds-services/{service}/feedback" => new { feedback = new[] { new { card = Guid.NewGuid(), outcome = "overridden" } } },
            _ => null,
        };
    }

    /// <summary>The table writes a route as a user would call it: no route constraints, no trailing slash.</summary>
    private static string Normalise(string? pattern)
    {
        var path = System.Text.RegularExpressions.Regex.Replace("/" + (pattern ?? "").TrimStart('/'), "\\{([^}:]+):[^}]+\\}", "{$1}");
        return path.Length > 1 ? path.TrimEnd('/') : path;
    }
}

public sealed class RoleTableTestsOnSqlite(SqliteApp fixture) : RoleTableTests(fixture), IClassFixture<SqliteApp>;

public sealed class RoleTableTestsOnPostgres(PostgresApp fixture) : RoleTableTests(fixture), IClassFixture<PostgresApp>;
