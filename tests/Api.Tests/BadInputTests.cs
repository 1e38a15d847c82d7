using System.Net.Http.Headers;
using System.Text;
using Benefit.Api.Tests.Infrastructure;

namespace Benefit.Api.Tests;

/// <summary>Every write endpoint answers bad input with Problem Details naming the field, never a 500. Add a row per write endpoint.</summary>
public abstract class BadInputTests(AppFixture fixture)
{
    public sealed record WriteEndpoint(string Method, string Path, Caller Caller, string ValidBody, string RequiredField, string TypedField)
    {
        public override string ToString() => $"{Method} {Path}";
    }

    public static readonly WriteEndpoint[] Endpoints =
    [
        new("POST", "/patients", Caller.Admin,
            """{"id":"p-valid-1","fhir":{"server":"https://fhir.example.org/r4","patientId":"p1"}}""", RequiredField: "fhir", TypedField: "careTeam"),
        new("PUT", "/patients/demo-patient-15/consent", Caller.PatientSelf("demo-patient-15"),
            """{"personalisation":true,"training":true}""", RequiredField: "training", TypedField: "personalisation"),
        new("POST", "/patients/demo-patient-15/choices", Caller.PatientSelf("demo-patient-15"),
            """{"interventionId":"pa-walking-group","kind":"not-now"}""", RequiredField: "kind", TypedField: "interventionId"),
        new("POST", "/patients/demo-patient-15/review-decisions", Caller.Clinician1,
            """{"kind":"note","note":"seen today"}""", RequiredField: "kind", TypedField: "note"),
    ];

    public static TheoryData<WriteEndpoint, string> Cases()
    {
        var data = new TheoryData<WriteEndpoint, string>();
        foreach (var endpoint in Endpoints)
        foreach (var kind in new[] { "malformed", "wrong-type", "unknown-field", "missing-field", "too-large", "wrong-media-type", "empty" })
            data.Add(endpoint, kind);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_problem_details_naming_the_reason(WriteEndpoint endpoint, string kind)
    {
        var valid = System.Text.Json.Nodes.JsonNode.Parse(endpoint.ValidBody)!.AsObject();
        (string body, string mediaType, int status, string mention) = kind switch
        {
            "malformed" => (endpoint.ValidBody[..^3], "application/json", 400, "JSON"),
            "wrong-type" => (With(valid, endpoint.TypedField, System.Text.Json.Nodes.JsonValue.Create(12345)), "application/json", 400, endpoint.TypedField),
            "unknown-field" => (With(valid, "favouriteColour", System.Text.Json.Nodes.JsonValue.Create("green")), "application/json", 400, "favouriteColour"),
            "missing-field" => (Without(valid, endpoint.RequiredField), "application/json", 400, endpoint.RequiredField),
            "too-large" => (new string(' ', 1024 * 1024 + 10) + endpoint.ValidBody, "application/json", 413, "bytes"),
            "wrong-media-type" => (endpoint.ValidBody, "text/plain", 415, ""),
            _ => ("", "application/json", 400, ""),
        };
        var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Path)
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue(mediaType)),
        };

        var response = await fixture.App.ClientFor(endpoint.Caller).SendAsync(request);

        var problem = await response.ProblemAsync(status);
        Assert.Contains(mention.ToLowerInvariant(), problem.ToString().ToLowerInvariant());
    }

    private static string With(System.Text.Json.Nodes.JsonObject o, string field, System.Text.Json.Nodes.JsonNode? value)
    {
        var copy = System.Text.Json.Nodes.JsonNode.Parse(o.ToJsonString())!.AsObject();
        copy[field] = value;
        return copy.ToJsonString();
    }

    private static string Without(System.Text.Json.Nodes.JsonObject o, string field)
    {
        var copy = System.Text.Json.Nodes.JsonNode.Parse(o.ToJsonString())!.AsObject();
        copy.Remove(field);
        return copy.ToJsonString();
    }
}

public sealed class BadInputTestsOnSqlite(SqliteApp fixture) : BadInputTests(fixture), IClassFixture<SqliteApp>;

public sealed class BadInputTestsOnPostgres(PostgresApp fixture) : BadInputTests(fixture), IClassFixture<PostgresApp>;
