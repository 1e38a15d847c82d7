using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Benefit.Api.Tests.Infrastructure;

public enum DatabaseKind { Sqlite, Postgres }

/// <summary>The real service on a throw-away database of the given kind, with real signed tokens and a movable clock.</summary>
public sealed class BenefitApplication : WebApplicationFactory<Program>
{
    public const string Issuer = "benefit-tests";
    public const string Audience = "benefit-api";
    private static readonly byte[] SigningKey = Encoding.UTF8.GetBytes("benefit-test-signing-key-0123456789-abcdefghijklmnop");

    private readonly Dictionary<string, string?> _settings;

    public BenefitApplication(DatabaseKind kind, string? connectionString = null, IDictionary<string, string?>? settings = null)
    {
        Kind = kind;
        ConnectionString = connectionString ?? TestDatabases.Create(kind);
        _settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = kind == DatabaseKind.Postgres ? "postgres" : "sqlite",
            ["ConnectionStrings:Benefit"] = ConnectionString,
            ["Authentication:Schemes:Bearer:ValidIssuer"] = Issuer,
            ["Authentication:Schemes:Bearer:ValidAudiences:0"] = Audience,
            ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = Issuer,
            ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = Convert.ToBase64String(SigningKey),
            ["Jobs:RunServer"] = "false",
            ["Demo:Seed"] = "true",
            // Lists are deterministic unless a test turns exploration on (RecommendationsTests does).
            ["Recommendations:ExplorationShare"] = "0",
            // The suites make thousands of reads per caller; the read limit itself is tested with a low setting.
            ["RateLimits:DefaultReadPermits"] = "10000000",
            ["RateLimits:ReadPermitsPerRole:patient"] = "10000000",
            ["RateLimits:ReadPermitsPerRole:clinician"] = "10000000",
            ["RateLimits:ReadPermitsPerRole:admin"] = "10000000",
            ["RateLimits:ReadPermitsPerRole:data-scientist"] = "10000000",
            ["RateLimits:ReadPermitsPerRole:provider"] = "10000000",
            ["Models:WorkDirectory"] = Path.Combine(Path.GetTempPath(), $"benefit-models-{Guid.NewGuid():N}"),
            ["Models:Retrain:PriorData"] = SharedCohort,
            ["Models:Retrain:CohortPatients"] = "800",
            ["Models:Retrain:CohortInteractions"] = "8000",
            ["Jobs:SqlitePath"] = Path.Combine(Path.GetTempPath(), $"benefit-hangfire-{Guid.NewGuid():N}.db"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            _settings[key] = value;
    }

    /// <summary>One generated training cohort for the whole test run (seeded, so identical however often it is made).</summary>
    public static readonly string SharedCohort = Path.Combine(Path.GetTempPath(), $"benefit-cohort-{Environment.ProcessId}");

    public DatabaseKind Kind { get; }
    public string ConnectionString { get; }
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
    }

    public HttpClient ClientFor(Caller caller)
    {
        var client = CreateClient();
        if (caller.Role is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(caller));
        return client;
    }

    public HttpClient Anonymous() => CreateClient();

    public static string Token(Caller caller, string issuer = Issuer, byte[]? key = null)
    {
        var claims = new List<Claim> { new("sub", caller.Name), new("unique_name", caller.Name), new("role", caller.Role!) };
        if (caller.Patient is not null) claims.Add(new Claim("patient", caller.Patient));
        if (caller.Provider is not null) claims.Add(new Claim("provider", caller.Provider));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity(claims),
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? SigningKey), SecurityAlgorithms.HmacSha256),
        });
    }
}

/// <summary>Who is calling: a role and the claims user-jwts would put in the token.</summary>
public sealed record Caller(string Name, string? Role, string? Patient = null, string? Provider = null)
{
    public static readonly Caller Nobody = new("anonymous", null);
    public static Caller PatientSelf(string id) => new($"user-{id}", "patient", Patient: id);
    public static Caller Clinician(string name) => new(name, "clinician");
    public static readonly Caller Clinician1 = Clinician("demo-clinician-1");
    public static readonly Caller Clinician2 = Clinician("demo-clinician-2");
    public static readonly Caller DataScientist = new("ds-1", "data-scientist");
    public static readonly Caller ProviderGym = new("gym-1", "provider", Provider: "fitlife-gym");
    public static readonly Caller Admin = new("admin-1", "admin");

    public override string ToString() => Role is null ? "anonymous" : Patient is not null ? $"{Role}:{Patient}" : $"{Role}:{Name}";
}
