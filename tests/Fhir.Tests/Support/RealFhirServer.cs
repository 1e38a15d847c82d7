using System.Net.Http.Json;
using System.Text;
using Benefit.Fhir.Sources;
using Benefit.Fhir.Sync;
using Microsoft.Extensions.DependencyInjection;

namespace Benefit.Fhir.Tests.Support;

/// <summary>The Medplum-based test server from tools/fhir-test-server, found through BENEFIT_TEST_FHIR_URL.</summary>
internal static class RealFhirServer
{
    public const string EnvironmentVariable = "BENEFIT_TEST_FHIR_URL";

    public static string BaseUrl =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } url
            ? url.TrimEnd('/')
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set. Start the FHIR test server with `tools/fhir-test-server/run.sh start` " +
                $"and export {EnvironmentVariable}=<the URL it prints> (the project's test script does both).");

    public static ServiceProvider Services(params (string Key, string Value)[] overrides)
    {
        var settings = new Dictionary<string, string?> { ["Fhir:BaseUrl"] = BaseUrl, ["Fhir:PageSize"] = "50" };
        foreach (var (key, value) in overrides)
            settings["Fhir:" + key] = value;
        return TestServices.Build(settings);
    }

    public static PatientLink Link(string fhirPatientId) => new("benefit-" + fhirPatientId, BaseUrl, fhirPatientId);

    /// <summary>Writes a resource with PUT (create or new version), as another system would.</summary>
    public static async Task PutAsync(string resourceType, string id, string json)
    {
        using var http = new HttpClient();
        using var response = await http.PutAsync($"{BaseUrl}/{resourceType}/{id}", new StringContent(json, Encoding.UTF8, "application/fhir+json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"PUT {resourceType}/{id} answered {(int)response.StatusCode}: {body}");
    }

    public static string Weight(string id, string patient, decimal kg, string date, string status = "final", string unit = "kg") =>
        $$$"""{"resourceType":"Observation","id":"{{{id}}}","status":"{{{status}}}","subject":{"reference":"Patient/{{{patient}}}"},"code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},"effectiveDateTime":"{{{date}}}","valueQuantity":{"value":{{{kg.ToString(System.Globalization.CultureInfo.InvariantCulture)}}},"system":"http://unitsofmeasure.org","code":"{{{unit}}}"}}""";

    public static FhirServerSource Source(ServiceProvider services) => services.GetRequiredService<FhirServerSource>();
}
