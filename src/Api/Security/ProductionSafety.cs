using Benefit.Fhir;

namespace Benefit.Api.Security;

/// <summary>
/// Production starts only when it is safe to hold patient data: a real token authority, no demo roster, a real FHIR
/// source. Anything else exits before the first request with every reason at once (docs/security.md, "Production").
/// </summary>
public static class ProductionSafety
{
    public static IReadOnlyList<string> Problems(IConfiguration configuration, IHostEnvironment environment)
    {
        if (!environment.IsProduction()) return [];
        var problems = new List<string>();
        var bearer = configuration.GetSection("Authentication:Schemes:Bearer");
        var hasAuthority = !string.IsNullOrWhiteSpace(bearer["Authority"]) || !string.IsNullOrWhiteSpace(bearer["MetadataAddress"]);
        var hasKeys = bearer.GetSection("SigningKeys").GetChildren().Any(k => !string.IsNullOrWhiteSpace(k["Value"]));
        if (!hasAuthority && !hasKeys)
            problems.Add("No token authority: set Authentication:Schemes:Bearer:Authority (your OpenID Connect issuer) and ValidAudiences, or SigningKeys.");
        if (!hasAuthority && hasKeys && bearer.GetSection("ValidAudiences").GetChildren().All(a => string.IsNullOrWhiteSpace(a.Value)))
            problems.Add("Signing keys without an audience: set Authentication:Schemes:Bearer:ValidAudiences.");
        if (configuration.GetValue<bool>("Demo:Seed"))
            problems.Add("Demo:Seed is on: Production must not enrol the demo roster; set Demo:Seed=false.");
        if (string.IsNullOrWhiteSpace(configuration[$"{FhirSourceOptions.SectionName}:BaseUrl"]))
            problems.Add("No FHIR server: Fhir:BaseUrl is empty, which serves the embedded demo bundles; set it to your FHIR R4 base URL.");
        return problems;
    }

    /// <summary>Prints why Production will not start and answers true; the caller exits with a non-zero code.</summary>
    public static bool RefusesToStart(this WebApplicationBuilder builder)
    {
        var problems = Problems(builder.Configuration, builder.Environment);
        if (problems.Count == 0) return false;
        Console.Error.WriteLine($"Benefit refuses to start in {builder.Environment.EnvironmentName}:");
        foreach (var problem in problems) Console.Error.WriteLine($"  - {problem}");
        Console.Error.WriteLine("See docs/security.md (\"Running in Production\").");
        return true;
    }
}
